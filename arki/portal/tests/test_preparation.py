"""Preparation forms: plain form POSTs (no JavaScript), validation, the worker sees the answers
on the child page, everything audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from arki.audit.models import AuditEvent
from arki.portal import services
from arki.portal.models import Preparation

from .conftest import issue, open_portal

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def prepare_url(world) -> str:
    return f"/portal/children/{world.child.pk}/prepare/"


def test_guardian_sends_preparation_with_a_plain_form_post(world, portal_client):
    page = portal_client.get(prepare_url(world)).content.decode()
    assert 'method="post"' in page and 'name="worries"' in page
    response = portal_client.post(
        prepare_url(world),
        {"going_well": "Eetu sleeps well", "worries": "Mornings are rushed", "hopes": ""},
    )
    assert response.status_code == 302
    prep = Preparation.objects.get()
    assert prep.guardian == world.guardian and prep.respondent == "guardian"
    assert prep.answers["going_well"] == "Eetu sleeps well"
    assert prep.answers["hopes"] == ""
    event = AuditEvent.objects.get(action="portal.preparation.saved")
    assert event.actor_label == str(world.guardian) and event.role == "guardian"
    # The form shows the saved answers for editing; a new save replaces them.
    assert "Mornings are rushed" in portal_client.get(prepare_url(world)).content.decode()
    portal_client.post(prepare_url(world), {"worries": "Evenings too"})
    prep = Preparation.objects.get()
    assert prep.answers["worries"] == "Evenings too" and prep.answers["going_well"] == ""


def test_empty_preparation_is_refused_with_a_clear_error(world, portal_client):
    response = portal_client.post(prepare_url(world), {"going_well": "   ", "worries": ""})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Preparation.objects.exists()


def test_oversized_answer_is_refused_and_earlier_answers_are_kept(world, portal_client):
    portal_client.post(prepare_url(world), {"going_well": "Football"})
    response = portal_client.post(prepare_url(world), {"going_well": "x" * 5000})
    assert response.status_code == 200
    assert Preparation.objects.get().answers["going_well"] == "Football"


def test_extra_fields_change_nothing(world, portal_client):
    portal_client.post(
        prepare_url(world),
        {"going_well": "Fine", "guardian": "someone-else", "respondent": "child", "child": "x"},
    )
    prep = Preparation.objects.get()
    assert prep.guardian == world.guardian and prep.respondent == "guardian"
    assert set(prep.answers) == {"going_well", "worries", "hopes", "worker_should_know"}


def test_worker_sees_the_answers_on_the_child_page_and_the_read_is_audited(world, portal_client):
    portal_client.post(prepare_url(world), {"worries": "Mornings are rushed"})
    response = world.client_for(world.worker).get(f"/children/{world.child.pk}/")
    html = response.content.decode()
    assert "Mornings are rushed" in html
    assert str(world.guardian) in html
    event = AuditEvent.objects.get(action="portal.preparation.viewed", actor=world.worker)
    assert set(event.subjects.values_list("subject_id", flat=True)) == {
        world.child.pk,
        world.guardian.pk,
    }


def test_colleague_and_outsider_do_not_see_the_answers(world, portal_client):
    portal_client.post(prepare_url(world), {"worries": "Mornings are rushed"})
    for user in (world.colleague, world.outsider, world.coordinator):
        response = world.client_for(user).get(f"/children/{world.child.pk}/")
        assert response.status_code == 404
        assert "Mornings are rushed" not in response.content.decode()


def test_child_gets_the_child_friendly_form(world, settings):
    world.child.birth_date = timezone.localdate() - timedelta(days=365 * 13)
    world.child.save()
    issued = services.link_issue(actor=world.worker, child=world.child, email="e@example.fi")
    client = open_portal(issued.token)
    page = client.get(prepare_url(world)).content.decode()
    assert "child-voice" in page and 'name="hard"' in page and 'name="worries"' not in page
    client.post(prepare_url(world), {"hard": "Maths", "wishes": "More time with dad"})
    prep = Preparation.objects.get()
    assert prep.respondent == "child" and prep.guardian is None
    assert prep.answers["wishes"] == "More time with dad"
    assert AuditEvent.objects.get(action="portal.preparation.saved").role == "child"
    html = world.client_for(world.worker).get(f"/children/{world.child.pk}/").content.decode()
    assert "More time with dad" in html


def test_xss_in_answers_is_inert_for_family_and_worker(world, portal_client):
    portal_client.post(prepare_url(world), {"worries": XSS})
    for html in (
        portal_client.get(prepare_url(world)).content.decode(),
        world.client_for(world.worker).get(f"/children/{world.child.pk}/").content.decode(),
    ):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_each_guardian_has_their_own_preparation(world):
    from arki.core.tests.factories import GuardianshipFactory

    second = GuardianshipFactory(child=world.child).guardian
    first_client = open_portal(issue(world).token)
    second_client = open_portal(issue(world, guardian=second).token)
    first_client.post(prepare_url(world), {"worries": "First parent's worry"})
    second_client.post(prepare_url(world), {"worries": "Second parent's worry"})
    assert Preparation.objects.count() == 2
    page = second_client.get(prepare_url(world)).content.decode()
    assert "Second parent&#x27;s worry" in page and "First parent" not in page
