"""Every page that shows a child's or a guardian's data writes an audit event (SECURITY.md 5).

Every URL pattern of the project is opened with GET, its path parameters filled with the ids
of real records about one child, as each persona: the child's own worker, a colleague in the
unit, an outsider from another municipality, a professional invited to the child's network
meeting, the coordinator, the unit manager, a leader, and the guardian in the family portal. A
200 response that shows the child's or the guardian's name or identity code must have written
an audit event naming that person as a data subject.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Max
from django.test import Client

from arki.accounts.models import Role
from arki.audit.models import AuditSubject
from arki.core.tests.factories import MembershipFactory, UserFactory

from .walk import Records, fill, records, response_text, url_patterns

# Pages that end a session: opened last by each persona, or the walk would go on logged out.
LAST = {"accounts:logout", "portal:logout"}


def _personas(world: Any, walk: Records) -> dict[str, Client]:
    leader = UserFactory(username="leader")
    MembershipFactory(user=leader, unit=world.unit, role=Role.LEADERSHIP)
    personas = {
        name: world.client_for(user)
        for name, user in {
            "own worker": world.worker,
            "colleague": world.colleague,
            "outsider": world.outsider,
            "invited professional": world.other_area_worker,
            "coordinator": world.coordinator,
            "unit manager": world.manager,
            "leader": leader,
        }.items()
    }
    assert walk.portal_client is not None
    personas["guardian in the portal"] = walk.portal_client
    return personas


def _unlogged_reads(client: Client, walk: Records) -> list[str]:
    """The pages this client sees personal data on without an audit event about it."""
    routes = sorted(url_patterns(), key=lambda r: r[1] in LAST)
    found = []
    for route, name in routes:
        url = fill(route, walk.ids, name)
        before = AuditSubject.objects.aggregate(n=Max("id"))["n"] or 0
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = response_text(response)
        for subject, secrets in walk.secrets.items():
            if not any(secret and secret in text for secret in secrets):
                continue
            logged = AuditSubject.objects.filter(id__gt=before, subject_id=subject.pk).exists()
            if not logged:
                found.append(f"{name} {url}: {subject._meta.model_name}")
    return found


@pytest.mark.django_db
def test_every_page_showing_personal_data_writes_an_audit_event(world):
    walk = records(world)
    unlogged = {
        persona: pages
        for persona, client in _personas(world, walk).items()
        if (pages := _unlogged_reads(client, walk))
    }
    report = [f"{persona}: {page}" for persona, pages in unlogged.items() for page in pages]
    assert not report, "pages without an audit event:\n" + "\n".join(report)


@pytest.mark.django_db
def test_the_walk_sees_the_child_where_the_own_worker_works(world):
    """The walk is not vacuous: the records fill the parameters, and the child's pages answer."""
    walk = records(world)
    client = world.client_for(world.worker)
    seen = []
    for route, name in url_patterns():
        if "child_id" not in route:
            continue
        response = client.get(fill(route, walk.ids, name))
        if response.status_code == 200 and walk.child.first_name in response_text(response):
            seen.append(name)
    assert {
        "people:child_detail",
        "people:child_edit",
        "discussions:detail",
        "meetings:detail",
        "meetings:report",
        "audit:child_log",
    } <= set(seen)
    # The invitation's answer link opens without login.
    answer = fill("meetings/answer/<str:token>/", walk.ids, "meetings:answer")
    assert Client().get(answer).status_code == 200
