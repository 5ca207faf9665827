"""Logging in with a second factor, lockout, roles, keyboard use and pages without JavaScript."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from arki.accounts.models import Role
from arki.core.tests.factories import MembershipFactory
from arki.people.models import ChildRelationship, RelationshipKind

from .fixtures import PASSWORD, log_in

pytestmark = pytest.mark.browser


def code_from_key(key_text: str, drift: int = 0) -> str:
    """What an authenticator app shows for the key printed on the setup page."""
    key = base64.b32decode(key_text.replace(" ", ""))
    return f"{totp(key, step=30, t0=0, digits=6, drift=drift):06d}"


def test_two_step_verification_setup_and_next_login(page, world, settings, axe):
    settings.ARKI_REQUIRE_2FA = True
    log_in(page, "worker")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/setup/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ota kaksivaiheinen tunnistautuminen käyttöön"
    )
    expect(page.get_by_role("img", name="QR-koodi todennussovellusta varten")).to_be_visible()
    axe(page)

    page.get_by_label("Todennussovelluksen koodi").fill("12345")
    page.get_by_role("button", name="Vahvista").click()
    expect(page.get_by_role("alert")).to_have_text("Kirjoita kuusi numeroa.")
    axe(page)

    key_text = page.locator("main code").inner_text()
    page.get_by_label("Todennussovelluksen koodi").fill(code_from_key(key_text))
    page.get_by_role("button", name="Vahvista").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oma työni")
    expect(page.get_by_role("status")).to_have_text("Todennussovellus on nyt käytössä.")
    assert TOTPDevice.objects.get(user=world.worker).confirmed

    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_label("Käyttäjätunnus").fill("worker")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/verify/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kaksivaiheinen tunnistautuminen")
    axe(page)
    # A code is used once: the app's next code (the device allows one step of drift).
    page.get_by_label("Todennussovelluksen koodi").fill(code_from_key(key_text, drift=1))
    page.get_by_role("button", name="Jatka").click()
    expect(page).to_have_url(re.compile(rf"/children/{world.child.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Eetu Esimerkki")


def test_repeated_failures_lock_the_login(page, world, axe):
    page.goto("/accounts/login/")
    for _attempt in range(5):
        page.get_by_label("Käyttäjätunnus").fill("worker")
        page.get_by_label("Salasana").fill("not the password")
        page.get_by_role("button", name="Kirjaudu sisään").click()
        page.wait_for_load_state()
        if page.get_by_role("heading", name="Liian monta epäonnistunutta yritystä").count():
            break
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Liian monta epäonnistunutta yritystä"
    )
    axe(page)
    # Even the right password does not get in now.
    log_in(page, "worker")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Liian monta epäonnistunutta yritystä"
    )


def test_keyboard_user_skips_to_the_content(page, world, login):
    login(page, "worker")
    page.goto(f"/children/{world.child.pk}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Siirry sisältöön")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.keyboard.press("Tab")
    focused_inside_main = page.evaluate(
        "() => document.querySelector('main').contains(document.activeElement)"
    )
    assert focused_inside_main


def test_language_switch_works_without_javascript(browser, live_server, world):
    context = browser.new_context(
        base_url=live_server.url, locale="fi-FI", java_script_enabled=False
    )
    try:
        page = context.new_page()
        log_in(page, "worker")
        page.get_by_label("Kieli").select_option("da")
        page.get_by_role("button", name="Vaihda", exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "da")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mit arbejde")
        page.goto(f"/children/{world.child.pk}/")
        expect(
            page.get_by_role("link", name="Tilføj forælder med forældremyndighed")
        ).to_be_visible()
    finally:
        context.close()


def test_worker_without_the_right_gets_a_403_page(page, world, login, axe):
    login(page, "worker")
    response = page.goto("/audit/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Ei käyttöoikeutta")
    axe(page)


def test_unit_manager_names_a_responsible_worker(page, world, login, axe):
    login(page, "manager")
    page.get_by_role("link", name="Yksikön lapset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Yksikön Päiväkoti Satakieli lapset")
    axe(page)
    page.get_by_label("Lapsi").select_option(label="Eetu Esimerkki")
    page.get_by_label("Vastuutyöntekijä").select_option(label=world.colleague.get_full_name())
    page.get_by_role("button", name="Nimeä", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Vastuutyöntekijä nimettiin.")
    expect(page.locator("table")).to_contain_text(world.colleague.get_full_name())
    assert ChildRelationship.objects.filter(
        child=world.child, user=world.colleague, kind=RelationshipKind.RESPONSIBLE
    ).exists()
    axe(page)


def test_switching_role_changes_what_the_user_may_do(page, world, login):
    MembershipFactory(user=world.worker, unit=world.unit, role=Role.COORDINATOR)
    login(page, "worker")
    nav = page.get_by_role("navigation", name="Päävalikko")
    expect(nav.get_by_role("link", name="Lokitiedot")).to_have_count(0)
    page.get_by_label("Toimit roolissa").select_option(
        label="LP-koordinaattori · Päiväkoti Satakieli"
    )
    page.locator("form.membership-form").get_by_role("button").click()
    expect(nav.get_by_role("link", name="Lokitiedot")).to_be_visible()
