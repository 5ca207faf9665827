# ruff: noqa: F811  (the chair fixture is imported from test_meetings)
"""A refused form on the meeting page comes back as it was sent, each error under its field,
instead of a redirect that clears it and a message at the top."""

from __future__ import annotations

import pytest

from arki.core.tests.html import error_under, parse
from arki.meetings import services
from arki.meetings.tests.test_meetings import chair  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world, chair):
    return services.meeting_plan(actor=chair, child=world.child, reason="Arki on kuormittunut")


def _url(meeting, tail):
    return f"/meetings/children/{meeting.child_id}/{meeting.pk}/{tail}"


def test_an_unknown_professional_keeps_what_was_typed(world, chair, meeting):
    response = world.client_for(chair).post(
        _url(meeting, "invitee/"),
        {
            "kind": "professional",
            "professional": "ei.ketaan@example.com",
            "role_label": "Perheneuvoja",
            "expected_contribution": "Tuo arvion perheen tilanteesta",
            "language": "sv",
        },
    )
    assert response.status_code == 400
    doc = parse(response.content)
    professional = doc.find("input", name="professional")
    assert professional is not None and professional["value"] == "ei.ketaan@example.com"
    assert "@" not in error_under(professional)
    assert doc.find("input", name="role_label")["value"] == "Perheneuvoja"  # type: ignore[index]
    contribution = doc.find("textarea", name="expected_contribution")
    assert contribution is not None
    assert contribution.text() == "Tuo arvion perheen tilanteesta"
    assert not meeting.invitees.filter(role_label="Perheneuvoja").exists()


def test_naming_no_responsible_worker_shows_the_error_in_the_fieldset(world, chair, meeting):
    response = world.client_for(chair).post(_url(meeting, "record/responsible/"), {})
    assert response.status_code == 400
    doc = parse(response.content)
    form = doc.find("form", action=_url(meeting, "record/responsible/"))
    assert form is not None
    assert form.find(class_="errorlist") is not None
