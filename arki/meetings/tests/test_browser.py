"""The chair holds a network meeting on a phone-sized screen: notes per phase without reloads,
held, a proposal accepted, the responsible worker named, the report made and read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from arki.accounts.models import QualificationKind
from arki.core.tests.factories import QualificationFactory
from arki.meetings import services
from arki.meetings.models import MeetingReport, PhaseNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_records_the_meeting_and_makes_the_report_on_a_phone(world, phone_page, login, axe):
    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    meeting = services.meeting_plan(
        actor=world.worker, child=world.child, reason="Arki on raskasta"
    )
    page = phone_page
    login(page, "worker")
    page.goto(f"/meetings/children/{world.child.pk}/{meeting.pk}/")

    # Notes go in without reloading the page (HTMX).
    page.evaluate("() => { window.__noReload = true; }")
    hopes = page.locator("#phase-hopes_worries")
    hopes.get_by_label("Muistiinpanot").fill("Äiti toivoo rauhallisia aamuja")
    hopes.get_by_role("button", name="Tallenna muistiinpanot").click()
    page.locator("#phase-hopes_worries").get_by_text("Tallennettu.").wait_for()
    strengths = page.locator("#phase-strengths")
    strengths.get_by_label("Muistiinpanot").fill("Eetu piirtää mielellään")
    strengths.get_by_role("button", name="Tallenna muistiinpanot").click()
    page.locator("#phase-strengths").get_by_text("Tallennettu.").wait_for()
    # A second save of the same phase carries the new version and succeeds.
    hopes = page.locator("#phase-hopes_worries")
    hopes.get_by_label("Muistiinpanot").fill("Äiti ja isä toivovat rauhallisia aamuja")
    # "Tallennettu." is still shown from the first save: wait for this save's answer.
    with page.expect_response(lambda r: "/phases/hopes_worries/" in r.url):
        hopes.get_by_role("button", name="Tallenna muistiinpanot").click()
    page.locator("#phase-hopes_worries").get_by_text("Tallennettu.").wait_for()
    assert page.evaluate("() => window.__noReload === true"), "the page reloaded"
    note = PhaseNote.objects.get(meeting=meeting, phase="hopes_worries")
    assert note.text == "Äiti ja isä toivovat rauhallisia aamuja" and note.version == 2
    axe(page)

    proposals = page.locator("#phase-proposals")
    proposals.get_by_label("Ehdotus").fill("Kuraattori tapaa Eetua")
    proposals.get_by_role("button", name="Lisää ehdotus").click()
    page.locator("#phase-proposals").get_by_role("button", name="Perhe hyväksyy").click()
    page.locator("#phase-agreement").get_by_text("Kuraattori tapaa Eetua").wait_for()

    # The meeting had no time set in Arki: the chair says when it was held.
    held_at = timezone.localtime() - timedelta(hours=1)
    page.get_by_label("Milloin neuvonpito pidettiin").fill(held_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Neuvonpito pidettiin").click()
    page.get_by_text("Neuvonpito merkittiin pidetyksi.").wait_for()
    meeting.refresh_from_db()
    assert meeting.held_at == held_at.replace(second=0, microsecond=0)
    follow = page.locator("#phase-follow_up")
    follow.get_by_label(world.worker.get_full_name()).check()
    follow.get_by_role("button", name="Nimeä vastuutyöntekijä").click()
    page.get_by_text("Vastuutyöntekijä nimettiin.").wait_for()
    assert page.get_by_role("link", name="Suunnittele seurantaneuvonpito").is_visible()

    page.get_by_role("button", name="Laadi muistio").click()
    page.get_by_text("Muistion versio 1 laadittiin").wait_for()
    axe(page)
    report = MeetingReport.objects.get()
    page.locator("#reports").get_by_role("link", name="Sivu 1").click()
    page.get_by_role("heading", name="Neuvonpidon muistio").wait_for()
    assert page.get_by_text("Äiti ja isä toivovat rauhallisia aamuja").is_visible()
    assert report.snapshot["actions"][0]["what"] == "Kuraattori tapaa Eetua"
    axe(page)


def test_guardian_reads_the_report_in_the_portal_on_a_phone(world, phone_page, axe):
    from arki.meetings import reports
    from arki.portal.tests.conftest import issue

    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    world.guardian.preferred_language = "sv"
    world.guardian.save()
    meeting = services.meeting_plan(actor=world.worker, child=world.child, reason="Vardagen")
    services.phase_note_save(
        actor=world.worker,
        meeting=meeting,
        phase="hopes_worries",
        text="Lugna morgnar",
        expected_version=0,
    )
    proposal = services.proposal_add(
        actor=world.worker, meeting=meeting, text="Kurator träffar Eetu", owner="Skolkurator"
    )
    services.proposal_decide(
        actor=world.worker, proposal=proposal, accepted=True, channel="in_meeting"
    )
    services.meeting_hold(
        actor=world.worker, meeting=meeting, held_at=timezone.now() - timedelta(hours=1)
    )
    reports.report_create(actor=world.worker, meeting=meeting)
    page = phone_page
    page.goto(f"/portal/open/{issue(world).token}/")
    page.get_by_role("button", name="Öppna portalen").click()
    page.get_by_role("heading", name="Protokoll från våra nätverksmöten").wait_for()
    axe(page)
    page.locator("#meeting-reports").get_by_role("link").first.click()
    page.get_by_role("heading", name="Protokoll från nätverksmötet").wait_for()
    assert page.get_by_text("Lugna morgnar").is_visible()
    assert page.get_by_text("Familjens förhoppningar och bekymmer").is_visible()
    # The report's tables (participants, proposals, actions) fit the phone's width.
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the report scrolls sideways by {overflow}px"
    axe(page)
