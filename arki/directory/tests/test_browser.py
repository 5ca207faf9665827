"""The consultation flow in a real browser, every page checked with axe (WCAG 2.1 A/AA).

Run with ``uv run pytest -m browser -p no:xdist arki/directory/tests/test_browser.py``
(after ``collectstatic``, as ``make test-browser`` does).
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from arki.directory.models import Consultation, ConsultationStatus

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("ARKI_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_worker_asks_and_the_service_answers(page, new_page, directory, login, axe):
    world = directory.world
    login(page, "worker")
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_role("link", name="Hae palveluhakemistosta").click()
    page.get_by_label("Hae").fill("asuminen")
    page.get_by_role("button", name="Hae").click()
    expect(page.get_by_role("heading", name="Perhesosiaalityön konsultaatio")).to_be_visible()
    axe(page)
    _shot(page, "directory-search")
    page.get_by_role("link", name="Kysy tämän lapsen asiassa").click()
    page.get_by_label("Kysymys").fill("Mistä perhe saa apua asumisen ongelmiin?")
    axe(page)
    _shot(page, "directory-consult")
    page.get_by_role("button", name="Lähetä pyyntö").click()
    expect(page.get_by_text("Konsultaatiopyyntö lähetettiin.")).to_be_visible()
    axe(page)

    receiver = new_page()
    login(receiver, "social")
    receiver.get_by_role("link", name="Konsultaatiot").click()
    axe(receiver)
    _shot(receiver, "directory-inbox")
    receiver.locator("tbody a").first.click()
    expect(receiver.get_by_text("Nimetön: perheen henkilöllisyyttä ei jaettu.")).to_be_visible()
    assert world.child.first_name not in receiver.content()
    receiver.get_by_role("textbox", name="Vastaus").fill("Ottakaa yhteyttä asumisneuvontaan.")
    axe(receiver)
    _shot(receiver, "directory-answer")
    receiver.get_by_role("button", name="Lähetä vastaus").click()
    expect(receiver.get_by_text("Vastauksesi lähetettiin.")).to_be_visible()

    assert Consultation.objects.get().status == ConsultationStatus.ANSWERED
    page.goto(f"/children/{world.child.pk}/")
    expect(page.get_by_text("Ottakaa yhteyttä asumisneuvontaan.")).to_be_visible()
    axe(page)
    _shot(page, "directory-child-panel")


def test_coordinator_edits_an_entry_on_a_phone(phone_page, directory, login, axe):
    login(phone_page, "coordinator")
    phone_page.goto(f"/directory/entries/{directory.person.pk}/edit/")
    phone_page.get_by_label("Kuvaus (ruotsi)").fill("Barnets känsloliv.")
    phone_page.get_by_label("Otsikko (ruotsi)").fill("Psykolog vid familjerådgivningen")
    axe(phone_page)
    _shot(phone_page, "directory-entry-phone")
    phone_page.get_by_role("button", name="Tallenna").click()
    expect(phone_page.get_by_text("Hakemiston tieto tallennettiin.")).to_be_visible()
    assert directory.person.texts.filter(language="sv").exists()
