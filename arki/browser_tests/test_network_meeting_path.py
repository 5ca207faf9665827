"""Issue #3's whole path, in a real browser, as the users do it.

The worker (desktop) plans a network meeting and suggests two professionals; the guardian's
portal link travels through the outbox to a real SMTP server on loopback and is read from the
received message; the guardian (Swedish, on a phone) approves the invitees and consents — the
school social worker may take part and get the report, the nurse may only take part; on the
"Find a time" page the worker chooses the first proposed time that suits the chair and the school
social worker (their busy times are set beforehand), adds the place on the meeting page and sends
the invitations (again through the outbox); the guardian answers by the invitation's link; the
meeting is held with notes in every phase, proposals accepted by the family (one in the meeting,
one in the portal), a responsible worker named; the report is made and sent; its PDF (from the
guardian's email) is in Swedish with the right content; the nurse gets 404 on the report, the
school social worker reads it. axe runs on the main pages.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from arki.accounts.models import QualificationKind
from arki.browser_tests.fixtures import PHONE
from arki.calendars import services as calendars
from arki.core.tests.factories import MembershipFactory, QualificationFactory, UserFactory
from arki.meetings.models import Consent, ConsentScope, MeetingReport, NetworkMeeting
from arki.notifications import services as outbox
from arki.notifications.tests.conftest import mailers_for
from arki.notifications.tests.smtp_server import LoopbackSMTPServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTES = {
    "opening": "Sovimme, että puhumme arjen sujumisesta",
    "hopes_worries": "Äiti toivoo rauhallisempia aamuja",
    "strengths": "Eetu piirtää ja rakentaa mielellään",
    "concerns": "Koulumatka jännittää Eetua",
    "proposals": "Ehdotuksista keskusteltiin yhdessä",
    "agreement": "Kaikki sitoutuivat sovittuun",
    "follow_up": "Seuranta kuuden viikon päästä",
}
PROFESSIONALS = ("Kalle Kuraattori", "Terhi Terveydenhoitaja")


@pytest.fixture
def smtp(settings):
    server = LoopbackSMTPServer().start()
    settings.MAILERS = mailers_for(server.port)
    yield server
    server.stop()


def _deliver(smtp: LoopbackSMTPServer, to: str, count: int = 1) -> list:
    """Run the outbox worker once; return the messages the SMTP server received for ``to``."""
    outbox.deliver_pending()
    received = [m for m in smtp.messages if m["To"] == to]
    assert len(received) == count, [(m["To"], m["Subject"]) for m in smtp.messages]
    return received


def _link_path(message, pattern: str) -> str:
    """The link in the message's plain-text body, as a path on the test server."""
    body = message.get_body(("plain",)).get_content()
    found = re.search(re.escape(settings.SITE_URL.rstrip("/")) + "(" + pattern + ")", body)
    assert found, body
    return found.group(1)


def _pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())  # lines wrap anywhere in a table cell


def _no_overflow(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .slice(0, 5).map(e => e.tagName + ': ' + e.textContent.slice(0, 40))"""
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on {page.url}: {wide}"


def test_the_whole_network_meeting_path(world, page, new_page, login, axe, smtp):
    # --- The people -----------------------------------------------------------------------
    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    world.worker.title = "sosiaaliohjaaja"
    world.worker.phone = "040 123 4567"
    world.worker.save()
    guardian = world.guardian
    guardian.first_name, guardian.last_name = "Sanna", "Esimerkki"
    guardian.email, guardian.preferred_language = "sanna.esimerkki@example.fi", "sv"
    guardian.save()
    kurator = world.other_area_worker
    kurator.first_name, kurator.last_name = "Kalle", "Kuraattori"
    kurator.email = "kalle.kuraattori@example.fi"
    kurator.save()
    nurse = UserFactory(
        username="nurse", first_name="Terhi", last_name="Terveydenhoitaja", email="terhi@example.fi"
    )
    MembershipFactory(user=nurse, unit=world.other_unit)

    # --- The worker plans the meeting (desktop) ---------------------------------------------
    login(page, "worker")
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_role("link", name="Suunnittele neuvonpito").click()
    page.get_by_label("Miksi neuvonpito tarvitaan").fill("Arki on perheelle raskasta")
    page.get_by_label("Aiheet perheen kanssa sovituin sanoin").fill("Aamut ja koulumatka")
    axe(page)
    page.get_by_role("button", name="Aloita suunnittelu").click()
    expect(page.get_by_text("Neuvonpitoa suunnitellaan.")).to_be_visible()
    meeting = NetworkMeeting.objects.get(child=world.child)
    meeting_path = f"/meetings/children/{world.child.pk}/{meeting.pk}/"
    assert page.url.endswith(meeting_path)
    for username, role in (("otherarea", "koulukuraattori"), ("nurse", "terveydenhoitaja")):
        form = page.locator("form", has=page.get_by_role("heading", name="Ehdota kutsuttavaa"))
        form.get_by_label("Kuka").select_option("professional")
        form.get_by_label("Ammattilaisen käyttäjätunnus tai sähköposti").fill(username)
        form.get_by_label("Rooli").fill(role)
        form.get_by_role("button", name="Lisää").click()
        expect(page.get_by_text("Kutsuttava lisätty.")).to_be_visible()
    axe(page)

    # --- The guardian's portal link goes by email -------------------------------------------
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_role("link", name="Lähetä perheportaalin linkki").click()
    page.get_by_label(re.compile("Sanna Esimerkki")).check()
    page.get_by_role("button", name="Lähetä linkki").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Linkki lähetettiin")
    [link_mail] = _deliver(smtp, guardian.email)
    portal_path = _link_path(link_mail, r"/portal/open/[^/\s]+/")

    # --- The guardian approves and consents, on a phone, in Swedish -------------------------
    phone = new_page(PHONE)
    phone.goto(portal_path)
    axe(phone)
    phone.get_by_role("button", name="Öppna portalen").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(world.child.full_name)
    for name in PROFESSIONALS:
        phone.get_by_role("button", name=f"Ja, bjud in {name}").click()
        expect(phone.locator(".message-success")).to_be_visible()
    axe(phone)

    def agree(name: str, text: str) -> None:
        card = phone.locator("li.card", has=phone.get_by_text(name, exact=True))
        card.locator(".consent", has_text=text).get_by_role("button", name="Jag samtycker").click()
        expect(phone.locator(".message-success")).to_be_visible()

    agree("Kalle Kuraattori", "deltar i vårt nätverksmöte")
    agree("Kalle Kuraattori", "får mötets rapport")
    agree("Terhi Terveydenhoitaja", "deltar i vårt nätverksmöte")
    axe(phone)
    _no_overflow(phone)
    scopes = Consent.objects.filter(invitee__meeting=meeting, withdrawn_at__isnull=True)
    assert set(scopes.values_list("invitee__user", "scope")) == {
        (kurator.pk, ConsentScope.ATTEND),
        (kurator.pk, ConsentScope.MEETING_REPORT),
        (nurse.pk, ConsentScope.ATTEND),
    }

    # --- A time is found and chosen, the invitations go out ---------------------------------
    # The chair is busy on that Monday until 10, the school social worker 10–12.30: with the
    # default 15-minute buffers, the first time for an hour that suits both is 12.45–13.45.
    monday = timezone.localdate() + timedelta(weeks=2)
    monday -= timedelta(days=monday.weekday())

    def at(hour: int, minute: int = 0):
        return timezone.make_aware(datetime.combine(monday, time(hour, minute)))

    calendars.busy_add(actor=world.worker, starts_at=at(8), ends_at=at(10))
    calendars.busy_add(actor=kurator, starts_at=at(10), ends_at=at(12, 30))
    start = at(12, 45)
    page.goto(meeting_path)
    page.get_by_role("link", name="Etsi aika").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Etsi neuvonpidolle aika")
    page.get_by_label("Kesto (minuuttia)").fill("60")
    page.get_by_label("Aikaisintaan").fill(monday.isoformat())
    page.get_by_role("button", name="Etsi aikoja").click()
    first = page.locator("section[aria-labelledby=proposals-h] li").first
    expect(first).to_contain_text("12.45–13.45")
    axe(page)
    first.get_by_role("button", name="Valitse tämä aika").click()
    # No place yet: the meeting page asks for it and keeps the chosen time in the form.
    expect(page.get_by_role("alert")).to_contain_text("Anna tapaamisen paikka tai videolinkki.")
    expect(page.get_by_label("Alkaa:")).to_have_value(start.strftime("%Y-%m-%dT%H:%M"))
    expect(page.get_by_label("Päättyy:")).to_have_value(at(13, 45).strftime("%Y-%m-%dT%H:%M"))
    axe(page)
    page.get_by_role("textbox", name="Paikka:").fill("Perhekeskus, Vaasa")
    page.get_by_role("button", name="Tallenna aika ja paikka").click()
    expect(page.get_by_text("Aika ja paikka tallennettiin.")).to_be_visible()
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at) == (start, at(13, 45))
    assert meeting.location == "Perhekeskus, Vaasa"
    page.get_by_role("button", name="Lähetä kutsut").click()
    expect(page.get_by_text("Kutsuja lähetetty: 3.")).to_be_visible()
    axe(page)
    outbox.deliver_pending()
    invitations = {m["To"]: m for m in smtp.messages if m is not link_mail}
    assert set(invitations) == {guardian.email, kurator.email, nurse.email}
    for message in invitations.values():
        [ics] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
        dtstart = start.astimezone(UTC).strftime("DTSTART:%Y%m%dT%H%M00Z")
        assert dtstart in ics.get_content().replace("\r\n ", ""), ics.get_content()
    assert invitations[guardian.email]["Subject"].startswith("Inbjudan till nätverksmöte")

    # The guardian answers through the invitation's link.
    answer_path = _link_path(invitations[guardian.email], r"/meetings/answer/[^/\s]+/")
    phone.goto(answer_path)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Inbjudan till nätverksmöte")
    phone.get_by_label("Ja, jag kommer").check()
    phone.get_by_role("button", name="Skicka svaret").click()
    expect(phone.get_by_text("Tack. Ditt svar har sparats.")).to_be_visible()
    axe(phone)

    # --- The meeting is held ----------------------------------------------------------------
    # Its time has come (the meeting is held only then): it started an hour ago.
    started = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    NetworkMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=started, ends_at=started + timedelta(hours=1)
    )
    page.goto(meeting_path)
    for phase, text in NOTES.items():
        section = page.locator(f"#phase-{phase}")
        section.get_by_label("Muistiinpanot").fill(text)
        section.get_by_role("button", name="Tallenna muistiinpanot").click()
        page.locator(f"#phase-{phase}").get_by_text("Tallennettu.").wait_for()
    proposals = page.locator("#phase-proposals")
    for text, owner in (
        ("Kuraattori tapaa Eetua viikoittain", "Kalle Kuraattori"),
        ("Koulumatkalle saattaja syksyksi", "Sosiaalityö"),
        ("Perheelle kotipalvelua aamuisin", "Kotipalvelu"),
    ):
        proposals.get_by_label("Ehdotus").fill(text)
        proposals.get_by_label("Kuka tekisi").fill(owner)
        proposals.get_by_role("button", name="Lisää ehdotus").click()
        page.locator("#phase-proposals").get_by_text(text).wait_for()
    # The family accepts the first in the meeting; the other two wait for the portal.
    page.locator("#phase-proposals li", has_text="Kuraattori tapaa Eetua").get_by_role(
        "button", name="Perhe hyväksyy"
    ).click()
    page.locator("#phase-agreement").get_by_text("Kuraattori tapaa Eetua").wait_for()
    hold = page.locator("form", has=page.get_by_role("group", name="Ketkä osallistuivat"))
    # Everyone approved is ticked to begin with; the nurse could not come.
    expect(hold.get_by_label("Kalle Kuraattori")).to_be_checked()
    hold.get_by_label("Terhi Terveydenhoitaja").uncheck()
    page.get_by_role("button", name="Neuvonpito pidettiin").click()
    expect(page.get_by_text("Neuvonpito merkittiin pidetyksi.")).to_be_visible()
    axe(page)

    # In the portal, the guardian accepts one waiting proposal and declines the other.
    phone.goto(f"/portal/children/{world.child.pk}/")
    waiting = phone.locator("li.card", has_text="Koulumatkalle saattaja syksyksi")
    waiting.get_by_role("button", name="Ja, vi gör så").click()
    expect(phone.locator(".message-success")).to_be_visible()
    phone.locator("li.card", has_text="Perheelle kotipalvelua aamuisin").get_by_role(
        "button", name="Nej"
    ).click()
    expect(phone.locator(".message-success")).to_be_visible()
    axe(phone)

    page.goto(meeting_path)
    follow = page.locator("#phase-follow_up")
    follow.get_by_label(world.worker.get_full_name()).check()
    follow.get_by_role("button", name="Nimeä vastuutyöntekijä").click()
    expect(page.get_by_text("Vastuutyöntekijä nimettiin.")).to_be_visible()

    # --- The report --------------------------------------------------------------------------
    page.get_by_role("button", name="Laadi muistio").click()
    expect(page.get_by_text("Muistion versio 1 laadittiin")).to_be_visible()
    report = MeetingReport.objects.get(meeting=meeting)
    axe(page)
    page.get_by_role("button", name="Lähetä muistio").click()
    expect(page.get_by_text("Muistio lähetettiin:")).to_be_visible()
    axe(page)
    before = len(smtp.messages)
    outbox.deliver_pending()
    reports = {m["To"]: m for m in smtp.messages[before:]}
    # The nurse's consent does not cover the report: she gets none.
    assert set(reports) == {guardian.email, kurator.email}

    [attachment] = list(reports[guardian.email].iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = _pdf_text(attachment.get_content())
    # Swedish headings and labels (the guardian's language), not Finnish ones.
    for swedish in (
        "Protokoll från nätverksmötet",
        "Förslag och familjens beslut",
        "Vad vi kom överens om",
        "Ansvarig arbetstagare",
    ):
        assert swedish in text, swedish
    assert "Neuvonpidon muistio" not in text and "Vastuutyöntekijä" not in text
    # What was recorded, as recorded.
    for recorded in (*NOTES.values(), "Arki on perheelle raskasta", "Perhekeskus, Vaasa"):
        assert recorded in text, recorded
    for name in ("Aino Työntekijä", "Sanna Esimerkki", *PROFESSIONALS):
        assert name in text, name
    assert "040 123 4567" in text
    # The agreed actions: the two proposals the family accepted, not the declined one.
    participants = text.split("Deltog", 1)[1].split("Inledning och syfte", 1)[0]
    assert "Kalle Kuraattori koulukuraattori ja" in participants, participants
    assert "Terhi Terveydenhoitaja terveydenhoitaja nej" in participants, participants
    agreed = text.split("Vad vi kom överens om", 1)[1].split("Ansvarig arbetstagare", 1)[0]
    assert "Kuraattori tapaa Eetua viikoittain" in agreed
    assert "Koulumatkalle saattaja syksyksi" in agreed
    assert "Perheelle kotipalvelua aamuisin" not in agreed

    # The guardian reads the same report in the portal, on the phone.
    phone.goto(f"/portal/children/{world.child.pk}/")
    phone.locator("#meeting-reports").get_by_role("link").first.click()
    expect(phone.get_by_role("heading", name="Protokoll från nätverksmötet")).to_be_visible()
    expect(phone.get_by_text(NOTES["hopes_worries"])).to_be_visible()
    axe(phone)
    _no_overflow(phone)

    # --- Who may open the report -------------------------------------------------------------
    report_path = f"{meeting_path}reports/{report.pk}/"
    nurse_page = new_page()
    login(nurse_page, "nurse")
    for path in (report_path, report_path + "pdf/"):
        response = nurse_page.goto(path)
        assert response is not None and response.status == 404, path
    kurator_page = new_page()
    login(kurator_page, "otherarea")
    response = kurator_page.goto(report_path)
    assert response is not None and response.status == 200
    expect(kurator_page.get_by_role("heading", name="Neuvonpidon muistio")).to_be_visible()
    expect(kurator_page.get_by_text(NOTES["concerns"])).to_be_visible()
    axe(kurator_page)
    pdf = kurator_page.request.get(report_path + "pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "Neuvonpidon muistio" in _pdf_text(pdf.body())
