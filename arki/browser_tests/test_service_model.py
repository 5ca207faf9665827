"""The service model in the browser: the training registry, the family's feedback on a phone,
and the indicator dashboard with its XLSX download."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from arki.accounts.models import Qualification, QualificationKind, Role
from arki.core.tests.factories import MembershipFactory, QualificationFactory, UserFactory
from arki.feedback import services as feedback
from arki.feedback.models import FeedbackAnswer, FeedbackResponse
from arki.indicators.tests.test_meetings import meetings  # noqa: F401 - the data set fixture
from arki.training import services as training
from arki.training.models import Attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_registers_a_training_and_the_trainee_qualifies(
    world, page, new_page, login, axe
):
    training.training_seed_defaults(world.tenant)
    trainer = UserFactory(username="trainer", first_name="Tiina", last_name="Kouluttaja")
    MembershipFactory(user=trainer, unit=world.unit)
    for kind in QualificationKind:
        QualificationFactory(user=trainer, kind=kind, completed_on=date(2020, 1, 1))
    trainee = UserFactory(username="trainee", first_name="Olli", last_name="Opettaja")
    MembershipFactory(user=trainee, unit=world.unit)
    today = date.today()

    login(page, "coordinator")
    page.goto("/training/registry/")
    page.get_by_role("link", name="Lisää koulutus").click()
    page.get_by_label("Koulutus").select_option(label="LP-keskustelun koulutus")
    page.get_by_label("Alkaa").fill((today - timedelta(days=14)).isoformat())
    page.get_by_label("Päättyy").fill((today - timedelta(days=7)).isoformat())
    page.get_by_label("Paikka:").fill("Vaasa, perhekeskus")
    page.get_by_label("Paikkoja").fill("12")
    page.get_by_label("Tiina Kouluttaja").check()
    page.get_by_role("button", name="Tallenna").click()
    page.get_by_text("Koulutus lisättiin.").wait_for()
    event_url = page.url
    axe(page)

    page.get_by_label("Työntekijä").select_option(label="Olli Opettaja")
    page.get_by_role("button", name="Ilmoittaudu").click()
    page.get_by_text("Ilmoitettu:").wait_for()
    # The coordinator records the preparatory tasks and the theory; supervised practice is
    # left to the trainer.
    for _module in ("preparatory", "theory"):
        row = page.get_by_role("row", name=re.compile("Olli Opettaja"))
        row.get_by_role("button", name="Suoritettu").first.click()
        page.get_by_text("Moduuli merkittiin suoritetuksi.").wait_for()
    row = page.get_by_role("row", name=re.compile("Olli Opettaja"))
    assert row.get_by_text("kouluttaja kuittaa").is_visible()
    assert row.get_by_role("button", name="Suoritettu").count() == 0
    assert not Qualification.objects.filter(user=trainee).exists()
    axe(page)

    trainer_page = new_page()
    login(trainer_page, "trainer")
    trainer_page.goto(event_url)
    trainer_row = trainer_page.get_by_role("row", name=re.compile("Olli Opettaja"))
    trainer_row.get_by_role("button", name="Kuittaa").click()
    trainer_page.get_by_text("Moduuli merkittiin suoritetuksi.").wait_for()
    assert Attendance.objects.filter(enrolment__user=trainee).count() == 3
    qualification = Qualification.objects.get(user=trainee)
    assert qualification.kind == QualificationKind.DISCUSSION
    # Completed on the training's own date (its last day), not on the day it was recorded.
    last_day = today - timedelta(days=7)
    assert qualification.completed_on == last_day
    # The trainee is shown as having completed the training, no longer as enrolled.
    expect(trainer_page.get_by_role("row", name=re.compile("Olli Opettaja"))).to_contain_text(
        "suorittanut"
    )

    trainee_page = new_page()
    login(trainee_page, "trainee")
    trainee_page.goto("/training/")
    mine = trainee_page.locator(
        "section", has=trainee_page.get_by_role("heading", name="Omat pätevyydet")
    )
    mine.get_by_text("LP-keskustelu").wait_for()
    mine.get_by_text(f"{last_day.day}.{last_day.month}.{last_day.year}").wait_for()


def test_guardian_answers_the_feedback_on_a_phone(world, phone_page, axe):
    feedback.feedback_seed_defaults()
    token = feedback.feedback_link_create(
        context_kind="discussion", unit=world.unit, period=date.today(), language="fi"
    )
    page = phone_page
    page.goto(f"/feedback/{token}/")
    page.get_by_role("heading", name="Miten meni?").wait_for()
    axe(page)
    # The guardian prefers Swedish.
    page.get_by_role("link", name="Svenska").click()
    page.get_by_role("heading", name="Hur gick det?").wait_for()
    page.get_by_role("group", name="Kände du dig hörd?").get_by_label("Ja").check()
    page.get_by_role("group", name="Fick du nya verktyg för ditt föräldraskap?").get_by_label(
        "Delvis"
    ).check()
    page.get_by_role("group", name="Var det här till nytta för barnet?").get_by_label("Ja").check()
    page.get_by_label("Vill du berätta något mer? (Skriv inga namn.)").fill("Bra samtal.")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    axe(page)
    page.get_by_role("button", name="Skicka").click()
    page.get_by_role("heading", name="Tack").wait_for()
    axe(page)
    response = FeedbackResponse.objects.get()
    assert response.unit == world.unit and response.context_kind == "discussion"
    answers = dict(FeedbackAnswer.objects.values_list("question__key", "choice"))
    assert answers["felt_heard"] == "yes" and answers["parenting_tools"] == "partly"
    assert FeedbackAnswer.objects.get(question__key="comments").text == "Bra samtal."
    # The link was single-use.
    again = page.goto(f"/feedback/{token}/")
    assert again.status == 410


def test_leader_filters_the_dashboard_and_downloads_the_xlsx(meetings, page, login, axe):  # noqa: F811
    make, b = meetings.make, meetings.other_unit
    for _ in range(5):
        make.after_need(b, date(2026, 4, 1), 10)
    leader = UserFactory(username="leader")
    MembershipFactory(user=leader, unit=None, tenant=meetings.tenant, role=Role.LEADERSHIP)

    login(page, "leader")
    page.goto("/indicators/")
    page.get_by_label("Ajanjakso").select_option("2026")
    page.get_by_label("Yksikkö").select_option(label="Päiväkoti Satakieli")
    page.get_by_role("button", name="Näytä").click()
    page.wait_for_url(re.compile(r"unit="))
    section = page.locator("section", has=page.get_by_role("heading", name="Neuvonpidot"))
    assert (
        section.get_by_role("row", name=re.compile("Pidetyt neuvonpidot")).inner_text().split()[-1]
        == "17"
    )
    axe(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Lataa XLSX").click()
    assert download.value.suggested_filename == "arki-indicators-2026.xlsx"
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    values = {row[1]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    # Unit A alone: 17 meetings held, median wait 21 days, 8 of 13 within 30 days.
    assert values["pidetyt neuvonpidot"] == 17
    assert values["mediaani päivinä neuvonpidon tarpeen toteamisesta neuvonpitoon"] == 21
    assert values["osuus neuvonpidoista, jotka pidettiin 30 päivän kuluessa tarpeesta"] == 61.5
    # Unit A has four staff members, three of them qualified: small cells.
    assert values["yksiköiden henkilöstö"] == "<5"
    assert values["pätevä LP-keskusteluun"] == "<5"
