"""Network meeting invitations in the browser, on a phone: the worker sets the time and sends
the invitations; a guardian answers through the link. Every page passes axe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from arki.accounts.models import QualificationKind
from arki.core.tests.factories import QualificationFactory
from arki.meetings import services
from arki.notifications.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_schedules_and_invites_and_a_guardian_answers(world, phone_page, login, axe):
    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    meeting = services.meeting_plan(
        actor=world.worker, child=world.child, reason="Tukea arkeen", topics="Aamut"
    )
    page = phone_page
    login(page, "worker")
    page.goto(f"/meetings/children/{world.child.pk}/{meeting.pk}/")
    start = (timezone.localtime() + timedelta(days=5)).replace(hour=12, minute=0)
    page.get_by_label("Alkaa:").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Päättyy:").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("textbox", name="Paikka:").fill("Perhekeskus")
    page.get_by_role("button", name="Tallenna aika ja paikka").click()
    expect(page.get_by_text("Aika ja paikka tallennettiin.")).to_be_visible()
    page.get_by_role("button", name="Lähetä kutsut").click()
    expect(page.get_by_text("Kutsuja lähetetty: 1.")).to_be_visible()
    axe(page)
    assert OutboxMessage.objects.filter(to=world.guardian.email).count() == 1

    invitee = meeting.invitees.get(guardian=world.guardian)
    email = OutboxMessage.objects.get(to=world.guardian.email).body_text
    answer_path = re.search(r"/meetings/answer/[^/\s]+/", email)
    assert answer_path is not None
    page.goto(answer_path.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kutsu neuvonpitoon")
    axe(page)
    page.get_by_label("Ehdotan toista aikaa").check()
    page.get_by_role("button", name="Lähetä vastaus").click()
    expect(page.get_by_role("alert")).to_contain_text("Anna ehdottamasi aika.")
    axe(page)
    page.get_by_label("Kyllä, tulen").check()
    page.get_by_role("button", name="Lähetä vastaus").click()
    expect(page.get_by_text("Kiitos. Vastauksesi tallennettiin.")).to_be_visible()
    invitee.refresh_from_db()
    assert invitee.response == "yes"
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
