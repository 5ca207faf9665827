"""The foundation in a real browser: login, the child pages, audit, languages, outsiders, logout.

Every page a user reaches here is also checked with axe-core (WCAG 2.1 A/AA, zero violations).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from arki.audit.models import AuditEvent
from arki.people.models import Child

from .fixtures import run_axe

pytestmark = pytest.mark.browser


def test_axe_helper_reports_a_violation(page, world, axe):
    """The checker itself must be able to fail: an image without a text alternative."""
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/static/x.png';"
        " document.querySelector('main').appendChild(img); }"
    )
    violations = run_axe(page)
    assert "image-alt" in [v["id"] for v in violations]
    with pytest.raises(AssertionError, match="image-alt"):
        axe(page)


def test_csp_blocks_an_inline_script_and_the_fixture_sees_it(page, world):
    """Every page fixture fails the test on a CSP violation; prove such errors are caught."""
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.x") is None
    assert any("Content Security Policy" in error for error in page.js_errors)
    page.js_errors.clear()


def test_login_lands_on_the_home_page(page, world, login, axe):
    page.goto("/children/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/children/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirjaudu Arkiin")
    axe(page)

    page.get_by_label("Käyttäjätunnus").fill("worker")
    page.get_by_label("Salasana").fill("correct horse battery")
    page.get_by_role("button", name="Kirjaudu sisään").click()

    expect(page).to_have_url(re.compile(r"/children/$"))
    page.get_by_role("link", name="Etusivu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oma työni")
    expect(page.get_by_role("link", name="Eetu Esimerkki")).to_be_visible()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
    axe(page)
    assert page.js_errors == []


def test_failed_login_shows_one_generic_error(page, world, axe):
    page.goto("/accounts/login/")
    # Empty fields: each says what is missing.
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("alert")).to_have_count(2)
    expect(page.get_by_label("Käyttäjätunnus")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").first).to_have_text("Tämä kenttä vaaditaan.")
    axe(page)

    page.get_by_label("Käyttäjätunnus").fill("worker")
    page.get_by_label("Salasana").fill("wrong password")
    page.get_by_role("button", name="Kirjaudu sisään").click()

    error = page.get_by_role("alert")
    expect(error).to_have_text("Käyttäjätunnus tai salasana on väärin.")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    axe(page)

    # An unknown user sees exactly the same message: no account enumeration.
    page.get_by_label("Käyttäjätunnus").fill("nobody-here")
    page.get_by_label("Salasana").fill("wrong password")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("alert")).to_have_text("Käyttäjätunnus tai salasana on väärin.")


def test_child_list_and_child_page(page, world, login, axe):
    login(page, "worker")
    page.get_by_role("navigation", name="Päävalikko").get_by_role("link", name="Lapset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lapset, joiden kanssa työskentelen")
    expect(page.get_by_role("columnheader", name="Nimi")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Eetu Esimerkki").click()
    expect(page).to_have_url(re.compile(rf"/children/{world.child.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Eetu Esimerkki")
    expect(page.get_by_role("heading", name="Huoltajat")).to_be_visible()
    expect(page.get_by_text(str(world.guardian))).to_be_visible()
    axe(page)
    assert AuditEvent.objects.filter(action="people.child.viewed", actor=world.worker).exists()


def test_child_page_on_a_phone(phone_page, world, login, axe):
    login(phone_page, "worker")
    phone_page.goto(f"/children/{world.child.pk}/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Eetu Esimerkki")
    # Nothing may force sideways scrolling on a 390 px wide screen.
    overflow = phone_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    axe(phone_page)


def test_add_a_child_then_a_guardian(page, world, login, axe):
    login(page, "worker")
    page.goto("/children/")
    page.get_by_role("link", name="Lisää lapsi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lisää lapsi")
    axe(page)

    # Saving without a date shows a clear error, and the form keeps what was typed.
    page.get_by_label("Etunimi").fill("Venla")
    page.get_by_label("Sukunimi").fill("Virtanen")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("alert")).to_contain_text("Anna syntymäaika tai laskettu aika.")
    expect(page.get_by_label("Etunimi")).to_have_value("Venla")
    axe(page)
    assert not Child.objects.filter(first_name="Venla").exists()

    page.get_by_label("Syntymäaika").fill("2020-05-17")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Venla Virtanen")
    expect(page.get_by_role("status")).to_contain_text("Lapsi lisättiin.")
    child = Child.objects.get(first_name="Venla", last_name="Virtanen")
    expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))

    page.get_by_role("link", name="Lisää huoltaja").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lisää huoltaja")
    axe(page)
    page.get_by_label("Etunimi").fill("Kaisa")
    page.get_by_label("Sukunimi").fill("Virtanen")
    page.get_by_label("Sähköposti").fill("kaisa.virtanen@example.fi")
    page.get_by_role("button", name="Tallenna").click()

    expect(page.get_by_role("status")).to_contain_text("Huoltaja lisättiin.")
    guardians = page.locator("section", has=page.get_by_role("heading", name="Huoltajat"))
    expect(guardians).to_contain_text("Kaisa Virtanen")
    expect(guardians).to_contain_text("kaisa.virtanen@example.fi")
    assert child.guardianships.filter(guardian__first_name="Kaisa").count() == 1
    axe(page)


def test_coordinator_searches_the_audit_log(page, world, login, axe, new_page):
    worker_page = new_page()
    login(worker_page, "worker")
    worker_page.goto(f"/children/{world.child.pk}/")

    login(page, "coordinator")
    page.goto("/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lokitiedot")
    axe(page)
    page.get_by_label("Tapahtumakoodi alkaa").fill("people.child.viewed")
    page.get_by_role("button", name="Hae").click()
    expect(page).to_have_url(re.compile(r"action=people.child.viewed"))
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text("katsoi lapsen sivua")
    expect(rows.first).to_contain_text(world.worker.get_full_name())
    axe(page)


def test_worker_sees_the_childs_access_report(page, world, login, axe):
    login(page, "worker")
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_role("link", name="Kuka on nähnyt lapsen tietoja").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kuka on nähnyt lapsen tietoja")
    expect(page.get_by_role("cell", name=re.compile("katsoi lapsen sivua")).first).to_be_visible()
    expect(page.locator("table")).to_contain_text(world.worker.get_full_name())
    axe(page)


def test_language_switch_persists_across_pages(page, world, login, axe):
    login(page, "worker")
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_label("Kieli").select_option(label="Svenska")
    # The small script submits the form on change; without JavaScript the button does.
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page).to_have_url(re.compile(rf"/children/{world.child.pk}/$"))
    expect(page.get_by_role("heading", name="Vårdnadshavare")).to_be_visible()

    page.get_by_role("link", name="Barn", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Barn som jag arbetar med")
    page.get_by_role("link", name="Startsida").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")
    expect(page.get_by_label("Språk")).to_have_value("sv")
    axe(page)


def test_outsider_typing_the_childs_address_gets_a_clean_404(page, world, login, axe):
    login(page, "outsider")
    response = page.goto(f"/children/{world.child.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sivua ei löydy")
    body = page.locator("body").inner_text()
    for secret in [world.child.first_name, world.child.last_name, str(world.guardian)]:
        assert secret not in body
    assert world.child.last_name not in page.content()
    axe(page)

    response = page.goto(f"/audit/children/{world.child.pk}/")
    assert response is not None and response.status == 404
    assert world.child.last_name not in page.content()


def test_logout_ends_the_session(page, world, login):
    login(page, "worker")
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirjaudu Arkiin")

    page.goto(f"/children/{world.child.pk}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    assert world.child.last_name not in page.content()
    # Going back does not show the child's page from a cache (Cache-Control: no-store).
    page.go_back()
    assert world.child.last_name not in page.content()
