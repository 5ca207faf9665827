"""My calendar, common times and finding a meeting time in a real browser, checked with axe.

Run with ``uv run pytest -m browser -p no:xdist arki/calendars/tests/test_browser.py`` (after
``collectstatic``); ``ARKI_SCREENSHOTS=dir`` keeps screenshots.
"""

from __future__ import annotations

import os
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from arki.accounts.models import QualificationKind
from arki.calendars import services
from arki.calendars.models import BusyTime, CommonSlot
from arki.core.tests.factories import QualificationFactory
from arki.meetings import services as meetings

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("ARKI_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _monday(weeks: int = 3):
    day = timezone.localdate() + timedelta(weeks=weeks)
    return day - timedelta(days=day.weekday())


def test_a_worker_keeps_their_calendar_on_a_phone(world, phone_page, login, axe):
    page = phone_page
    login(page, "worker")
    page.goto("/calendars/")
    expect(page.get_by_role("heading", name="Oma kalenteri", level=1)).to_be_visible()
    axe(page)
    day = _monday().isoformat()
    page.get_by_label("Varattu alkaen").fill(f"{day}T09:00")
    page.get_by_label("Varattu asti").fill(f"{day}T10:30")
    page.get_by_role("button", name="Lisää").click()
    expect(page.get_by_text("Varattu aika lisättiin.")).to_be_visible()
    ics = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//T//FI\nBEGIN:VEVENT\nUID:tiimi@x\n"
        f"DTSTAMP:20261201T000000Z\nDTSTART;TZID=Europe/Helsinki:{day.replace('-', '')}T130000\n"
        f"DTEND;TZID=Europe/Helsinki:{day.replace('-', '')}T140000\nRRULE:FREQ=WEEKLY;COUNT=2\n"
        "SUMMARY:Tiimi\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    page.get_by_label("Tai liitä kalenterin sisältö").fill(ics)
    page.get_by_role("button", name="Tuo", exact=True).click()
    expect(page.get_by_text("Kalenteri tuotiin: 2 varattua aikaa")).to_be_visible()
    expect(page.locator("#busy-list li")).to_have_count(3)
    axe(page)
    _shot(page, "calendars-my-calendar")
    page.locator("#busy-list li").first.get_by_role("button", name="Poista").click()
    expect(page.locator("#busy-list li")).to_have_count(2)  # swapped out with HTMX
    assert BusyTime.objects.filter(user=world.worker).count() == 2
    page.get_by_label("Tai liitä kalenterin sisältö").fill("BEGIN:VCALENDAR\nrikki")
    page.get_by_role("button", name="Tuo", exact=True).click()
    expect(page.get_by_text("Mitään ei tuotu.")).to_be_visible()
    axe(page)


def test_a_manager_publishes_and_the_chair_finds_a_time(world, page, new_page, login, axe):
    login(page, "manager")
    page.get_by_role("link", name="Yhteiset ajat").click()
    expect(page.get_by_role("heading", name="Neuvonpitojen yhteiset ajat")).to_be_visible()
    page.get_by_label("Viikonpäivä").select_option(label="tiistai")
    page.get_by_label("Alkamisaika").fill("13:00")
    page.get_by_label("Loppumisaika").fill("15:00")
    page.get_by_label("Voimassa alkaen").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Julkaise").click()
    expect(page.get_by_text("Yhteinen aika julkaistiin.")).to_be_visible()
    axe(page)
    _shot(page, "calendars-slots")
    slot = CommonSlot.objects.get()
    assert (slot.unit, slot.weekday, slot.start_time) == (world.unit, 1, time(13))

    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    meeting = meetings.meeting_plan(actor=world.worker, child=world.child, reason="Väsymys")
    tuesday = _monday() + timedelta(days=1)
    services.busy_add(
        actor=world.worker,
        starts_at=timezone.make_aware(timezone.datetime.combine(tuesday, time(12))),
        ends_at=timezone.make_aware(timezone.datetime.combine(tuesday, time(13, 30))),
    )
    chair = new_page()
    login(chair, "worker")
    chair.goto(f"/meetings/children/{world.child.pk}/{meeting.pk}/")
    chair.get_by_role("link", name="Etsi aika").click()
    chair.get_by_label("Kesto (minuuttia)").fill("60")
    chair.get_by_label("Aikaisintaan").fill(tuesday.isoformat())
    chair.get_by_role("button", name="Etsi aikoja").click()
    first = chair.locator("section[aria-labelledby=proposals-h] li").first
    expect(first).to_contain_text("13.45–14.45")  # 13.30 + the 15-minute buffer
    expect(first).to_contain_text(f"yhteinen aika: {world.unit.name}")
    assert first.locator("input[name=starts_at]").get_attribute("value") == (
        f"{tuesday.isoformat()}T13:45"
    )
    axe(chair)
    _shot(chair, "calendars-find-a-time")
