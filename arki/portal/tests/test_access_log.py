"""'Who has seen our data' equals the audit rows about the child (SECURITY.md 7); every portal
read is audited with the guardian as the actor."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from arki.audit import services as audit
from arki.audit.models import AuditEvent
from arki.audit.registry import label_for
from arki.core.tests.factories import ChildFactory, GuardianshipFactory
from arki.people.models import RelationshipKind

from .conftest import issue, open_portal

pytestmark = pytest.mark.django_db


def shown_event_ids(html: str) -> set[str]:
    return set(re.findall(r'<tr id="event-([0-9a-f-]{36})">', html))


def test_access_log_lists_exactly_the_audit_rows_about_the_child(world):
    staff = world.client_for(world.worker)
    staff.get(f"/children/{world.child.pk}/")
    staff.get(f"/audit/children/{world.child.pk}/")
    # An event about another child must not show.
    other: Any = ChildFactory(tenant=world.tenant)
    audit.record(world.worker, "people.child.viewed", subjects=[other], basis="relationship")
    client = open_portal(issue(world).token)
    client.get(f"/portal/children/{world.child.pk}/")
    response = client.get(f"/portal/children/{world.child.pk}/log/")
    assert response.status_code == 200
    html = response.content.decode()
    expected = {
        str(pk)
        for pk in AuditEvent.objects.filter(subjects__subject_id=world.child.pk).values_list(
            "pk", flat=True
        )
    }
    assert len(expected) >= 6
    assert shown_event_ids(html) == expected


def test_access_log_rows_say_when_who_what_and_why(world):
    world.client_for(world.worker).get(f"/children/{world.child.pk}/")
    client = open_portal(issue(world).token)
    html = client.get(f"/portal/children/{world.child.pk}/log/").content.decode()
    event = AuditEvent.objects.get(action="people.child.viewed")
    row = html.split(f'<tr id="event-{event.pk}">')[1].split("</tr>")[0]
    assert world.worker.get_full_name() in row
    assert world.unit.name in row
    with translation.override("fi"):  # the guardian's language
        assert label_for("people.child.viewed") in row
        # The basis in plain words, not "relationship:responsible".
        assert str(RelationshipKind.RESPONSIBLE.label) in row
    assert "relationship:" not in row
    assert "<time datetime=" in row


def test_every_portal_read_is_audited_with_the_guardian_as_actor(world):
    client = open_portal(issue(world).token)
    before = AuditEvent.objects.count()
    client.get(f"/portal/children/{world.child.pk}/")
    client.get(f"/portal/children/{world.child.pk}/log/")
    new = list(AuditEvent.objects.order_by("occurred_at")[before:])
    assert [e.action for e in new] == ["portal.child.viewed", "portal.access_log.viewed"]
    for event in new:
        assert event.actor is None
        assert event.actor_label == str(world.guardian)
        assert event.role == "guardian"
        assert event.tenant_id == world.tenant.pk
        subjects = set(event.subjects.values_list("subject_id", flat=True))
        assert subjects == {world.child.pk, world.guardian.pk}


def test_refused_requests_write_no_audit_about_other_children(world):
    other = ChildFactory(tenant=world.tenant)
    GuardianshipFactory(child=other)
    client = open_portal(issue(world).token)
    assert client.get(f"/portal/children/{other.pk}/log/").status_code == 404
    assert not AuditEvent.objects.filter(subjects__subject_id=other.pk).exists()


def test_xss_in_names_is_inert_on_the_access_log(world):
    world.worker.first_name = '<script>alert("w")</script>'
    world.worker.save()
    world.guardian.first_name = "<img src=x onerror=alert(1)>"
    world.guardian.save()
    world.client_for(world.worker).get(f"/children/{world.child.pk}/")
    client = open_portal(issue(world).token)
    html = client.get(f"/portal/children/{world.child.pk}/log/").content.decode()
    assert '<script>alert("w")' not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html
