"""The portal in a real browser on a phone: accessible (axe, WCAG 2.1 A/AA), and the essentials
work with JavaScript switched off. Run with ``pytest -m browser -p no:xdist arki/portal``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from arki.browser_tests.fixtures import CHROMIUM_ARGS, PHONE  # noqa: F401
from arki.portal.models import Preparation

from .conftest import issue

pytestmark = pytest.mark.browser


def test_guardian_opens_the_link_and_prepares_on_a_phone(phone_page, world, axe):
    page = phone_page
    issued = issue(world)
    page.goto(f"/portal/open/{issued.token}/")
    axe(page)
    page.get_by_role("button", name="Avaa portaali").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.child.full_name)
    axe(page)
    page.get_by_role("link", name="Vastaa kysymyksiin").click()
    axe(page)
    page.get_by_label("Mikä sinua huolettaa?").fill("Aamut ovat kiireisiä")
    page.get_by_role("button", name="Lähetä vastaukseni").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert Preparation.objects.get().answers["worries"] == "Aamut ovat kiireisiä"
    page.get_by_role("link", name="Katso, kuka on nähnyt tietojamme").click()
    axe(page)
    page.get_by_label("Kieli").select_option("sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vem har sett våra uppgifter")


def test_the_essentials_work_without_javascript(browser, live_server, world):
    context: Any = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    issued = issue(world)
    page.goto(f"/portal/open/{issued.token}/")
    page.get_by_role("button", name="Avaa portaali").click()
    page.get_by_role("link", name="Vastaa kysymyksiin").click()
    page.get_by_label("Mitä toivot?").fill("Enemmän yhteistä aikaa")
    page.get_by_role("button", name="Lähetä vastaukseni").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert Preparation.objects.get().answers["hopes"] == "Enemmän yhteistä aikaa"
    # The language switcher: a plain form with a button.
    page.get_by_label("Kieli").select_option("da")
    page.get_by_role("button", name="Vaihda").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("vores families side")
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ud")
    context.close()


def test_meeting_decisions_on_a_phone_are_accessible(phone_page, world, axe):
    from arki.accounts.models import QualificationKind
    from arki.core.tests.factories import QualificationFactory
    from arki.meetings import services as meetings
    from arki.meetings.models import Consent

    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    meeting = meetings.meeting_plan(actor=world.worker, child=world.child, reason="Arki")
    meetings.invitee_add(
        actor=world.worker,
        meeting=meeting,
        kind="professional",
        user=world.other_area_worker,
        role_label="koulukuraattori",
    )
    page = phone_page
    page.goto(f"/portal/open/{issue(world).token}/")
    page.get_by_role("button", name="Avaa portaali").click()
    axe(page)
    page.get_by_role(
        "button", name=f"Kyllä, kutsu: {world.other_area_worker.get_full_name()}"
    ).click()
    expect(page.locator(".message-success")).to_be_visible()
    page.get_by_role("button", name="Suostun").first.click()
    expect(page.get_by_role("button", name="Peru suostumukseni")).to_be_visible()
    axe(page)
    assert Consent.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_preparing_for_a_network_meeting_on_a_phone_and_the_chair_reads_it(
    phone_page, new_page, world, axe, login
):
    from arki.accounts.models import QualificationKind
    from arki.core.tests.factories import QualificationFactory
    from arki.meetings import services as meetings

    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    meeting = meetings.meeting_plan(actor=world.worker, child=world.child, reason="Arki")
    page = phone_page
    page.goto(f"/portal/open/{issue(world).token}/")
    page.get_by_role("button", name="Avaa portaali").click()
    page.get_by_role("link", name="Valmistaudu neuvonpitoon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Valmistaudu neuvonpitoon")
    axe(page)
    page.get_by_label("Kuka voisi auttaa meitä, ja miten?").fill("Mummo tiistaisin")
    page.get_by_role("button", name="Lähetä vastaukseni").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert Preparation.objects.get(meeting=meeting).answers["who_can_help"] == "Mummo tiistaisin"
    expect(page.get_by_role("link", name="Muuta vastauksiani")).to_be_visible()
    chair = new_page(PHONE)
    login(chair, world.worker.username)
    chair.goto(f"/meetings/children/{world.child.pk}/{meeting.pk}/")
    section = chair.locator("section", has=chair.locator("#meeting-preparation-h"))
    expect(section).to_contain_text("Mummo tiistaisin")
    axe(chair)


def test_guardian_on_a_held_meetings_page_can_withdraw_consent_but_not_uninvite(
    phone_page, world, axe
):
    from datetime import timedelta

    from django.utils import timezone

    from arki.accounts.models import QualificationKind
    from arki.core.tests.factories import QualificationFactory
    from arki.meetings import services as meetings
    from arki.meetings.models import Consent, Invitee

    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    meeting = meetings.meeting_plan(actor=world.worker, child=world.child, reason="Arki")
    invitee = meetings.invitee_add(
        actor=world.worker,
        meeting=meeting,
        kind="professional",
        user=world.other_area_worker,
        role_label="koulukuraattori",
    )
    meetings.invitee_approve(actor=world.guardian, invitee=invitee, approved=True, channel="portal")
    meetings.consent_give(actor=world.guardian, invitee=invitee, scope="attend", channel="portal")
    meetings.meeting_hold(
        actor=world.worker, meeting=meeting, held_at=timezone.now() - timedelta(hours=1)
    )
    name = world.other_area_worker.get_full_name()
    page = phone_page
    page.goto(f"/portal/open/{issue(world).token}/")
    page.get_by_role("button", name="Avaa portaali").click()
    card = page.locator("li.card", has_text=name)
    expect(card.get_by_role("button", name="Peru suostumukseni")).to_be_visible()
    expect(card.get_by_role("button", name=f"Ei, älä kutsu: {name}")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("älä kutsu"))).to_have_count(0)
    axe(page)
    card.get_by_role("button", name="Peru suostumukseni").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert not Consent.objects.active().filter(invitee=invitee).exists()
    assert Invitee.objects.get(pk=invitee.pk).approval == "approved"
    expect(
        page.locator("li.card", has_text=name).get_by_role("button", name="Suostun").first
    ).to_be_visible()
    axe(page)
