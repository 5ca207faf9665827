"""The LT discussion end to end in the browser, on a phone-sized screen."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from arki.discussions import services
from arki.discussions.models import ActionItem, Discussion, LogbookTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHIPPED = Path(__file__).resolve().parents[1] / "discussions" / "logbooks"


@pytest.fixture
def ecec_logbooks(world):
    for lang in ("fi", "sv"):
        data = json.loads((SHIPPED / f"arki-ecec.{lang}.json").read_text(encoding="utf-8"))
        services.logbook_import(data=data)


def test_worker_holds_a_discussion_and_downloads_the_plan(
    world, ecec_logbooks, phone_page, login, axe
):
    page = phone_page
    login(page, "worker")
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_role("link", name="Tarjoa LP-keskustelua").click()
    page.get_by_label("Tarjottu").fill("2026-09-01")
    page.get_by_role("button", name="Tarjoa").click()
    page.wait_for_url("**/discussions/children/**")
    page.get_by_label("otettu vastaan", exact=True).check()
    page.get_by_role("button", name="Tallenna vastaus").click()
    page.get_by_role("button", name="Lisää keskustelukerta").click()
    page.get_by_text("äiti").or_(page.locator("#sessions ol li")).first.wait_for()

    # Strengths and vulnerabilities go in without reloading the page (HTMX).
    page.evaluate("() => { window.__noReload = true; }")
    home = page.locator("section.logbook-section").first
    home.get_by_placeholder("Lisää vahvuus").fill("Yhteiset iltasadut")
    home.get_by_placeholder("Lisää vahvuus").press("Enter")
    page.locator("section.logbook-section").first.get_by_text("Yhteiset iltasadut").wait_for()
    home = page.locator("section.logbook-section").first
    home.get_by_placeholder("Lisää haavoittuvuus").fill("Aamut ovat kiireisiä")
    home.get_by_placeholder("Lisää haavoittuvuus").press("Enter")
    page.locator("section.logbook-section").first.get_by_text("Aamut ovat kiireisiä").wait_for()
    assert page.evaluate("() => window.__noReload === true"), "the page reloaded"

    plan = page.locator("#plan")
    plan.get_by_label("Mitä tehdään").fill("Luetaan iltasatu joka ilta")
    plan.get_by_label("Kuka tekee").select_option("parent")
    plan.get_by_label("Mitä vahvuutta tai haavoittuvuutta se tukee").select_option(index=1)
    plan.get_by_label("Mihin mennessä").fill("2026-10-01")
    plan.get_by_role("button", name="Lisää suunnitelmaan").click()
    page.locator("#plan").get_by_text("Luetaan iltasatu joka ilta").wait_for()
    assert page.evaluate("() => window.__noReload === true"), "the page reloaded"
    axe(page)

    page.reload()
    close = page.locator("form[action$='/close/']")
    close.get_by_label("Sovittu yhteenveto asiakaskertomukseen").fill("Sovittiin iltarutiinista.")
    close.get_by_label("Miten keskustelu päättyi").select_option("plan_made")
    close.get_by_role("button", name="Päätä keskustelu").click()
    page.get_by_text("Keskustelu päätettiin.").wait_for()
    discussion = Discussion.objects.get()
    assert discussion.status == "closed" and discussion.outcome == "plan_made"

    # The link downloads the PDF; fetch it with the page's own session, as the browser would.
    href = page.get_by_role("link", name="Toimintasuunnitelma (PDF)").get_attribute("href")
    pdf = page.request.get(href, timeout=60_000)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    content = pdf.body()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    assert "Toimintasuunnitelmamme" in text
    assert "Luetaan iltasatu joka ilta" in text and "Sovittiin iltarutiinista." in text


def test_outsider_cannot_open_the_discussion(world, ecec_logbooks, page, login):
    discussion = services.discussion_offer(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=LogbookTemplate.objects.get(language="fi"),
        offered_on=date(2026, 9, 1),
    )
    login(page, "outsider")
    response = page.goto(f"/discussions/children/{world.child.pk}/{discussion.pk}/")
    assert response.status == 404
    assert "Esimerkki" not in page.content()


def test_action_plan_error_keeps_the_typed_text_under_the_field(
    world, ecec_logbooks, phone_page, login, axe
):
    discussion = services.discussion_offer(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=LogbookTemplate.objects.get(language="fi"),
        offered_on=date(2026, 9, 1),
    )
    services.discussion_accept(
        actor=world.worker, discussion=discussion, responded_on=date(2026, 9, 2)
    )
    page = phone_page
    login(page, "worker")
    page.goto(f"/discussions/children/{world.child.pk}/{discussion.pk}/")
    page.evaluate("() => { window.__noReload = true; }")
    plan = page.locator("#plan")
    plan.get_by_label("Mitä tehdään").fill("Luetaan iltasatu joka ilta")
    plan.get_by_label("Kuka tekee").select_option("parent")
    plan.get_by_label("Nimi (vapaaehtoinen)").fill("Äiti")
    plan.get_by_label("Mihin mennessä").fill("2026-10-10")
    plan.get_by_label("Arvioidaan").fill("2026-10-01")
    plan.get_by_role("button", name="Lisää suunnitelmaan").click()

    review = page.locator("#plan").get_by_label("Arvioidaan")
    error = page.locator("#id_review_on_error")
    error.wait_for()
    assert "Arviointipäivä ei voi olla ennen määräpäivää." in error.inner_text()
    # The error is under its own field, and the field says so to assistive technology.
    assert review.get_attribute("aria-describedby") == "id_review_on_error"
    assert review.get_attribute("aria-invalid") == "true"
    field_box = review.locator("xpath=..")
    assert field_box.locator("#id_review_on_error").count() == 1
    # Everything typed is still there, without a reload.
    assert page.evaluate("() => window.__noReload === true"), "the page reloaded"
    assert plan.get_by_label("Mitä tehdään").input_value() == "Luetaan iltasatu joka ilta"
    assert plan.get_by_label("Kuka tekee").input_value() == "parent"
    assert plan.get_by_label("Nimi (vapaaehtoinen)").input_value() == "Äiti"
    assert plan.get_by_label("Mihin mennessä").input_value() == "2026-10-10"
    assert review.input_value() == "2026-10-01"
    assert not ActionItem.objects.exists()
    axe(page)

    review.fill("2026-10-20")
    page.locator("#plan").get_by_role("button", name="Lisää suunnitelmaan").click()
    page.locator("#plan td").get_by_text("Luetaan iltasatu joka ilta").wait_for()
    assert page.locator("#id_review_on_error").count() == 0
    assert ActionItem.objects.get().review_on == date(2026, 10, 20)
