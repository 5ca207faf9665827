"""The whole path in a browser: an observation written on a phone, the team meeting, the
phenomenon, the regional group, escalation, the decision, and the feedback on the team's page."""

from __future__ import annotations

import pytest

from arki.observations.models import Phenomenon, PhenomenonStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Pikkulasten vanhemmat kertovat uupumuksesta, iltaisin ei ole ketään keneltä pyytää apua."


def test_observation_to_the_provincial_group_and_back_to_the_team(
    chain, phone_page, new_page, login, axe
):
    # A worker writes an observation on a phone; a child's name is refused first.
    login(phone_page, "worker")
    phone_page.goto("/observations/new/")
    phone_page.get_by_label("Mitä havaitsit?").fill(f"Eetu Esimerkki: {TEXT}")
    phone_page.get_by_role("button", name="Tallenna tiimille").click()
    phone_page.get_by_text("Havainnot kertovat ilmiöistä, eivät henkilöistä").wait_for()
    assert phone_page.get_by_label("Mitä havaitsit?").input_value().endswith(TEXT)
    axe(phone_page)
    phone_page.get_by_label("Mitä havaitsit?").fill(TEXT)
    phone_page.get_by_role("button", name="Tallenna tiimille").click()
    phone_page.get_by_text("Kiitos. Havainto tallennettiin tiimille.").wait_for()

    # The team's coordinator opens a meeting and accepts the suggested group as a phenomenon.
    lead = new_page()
    login(lead, "coordinator")
    lead.goto(f"/observations/bodies/{chain.team.pk}/")
    lead.get_by_role("link", name="Avaa tiimin kokous").click()
    lead.get_by_label("Päivämäärä").fill("2026-12-01")
    lead.get_by_role("button", name="Tallenna").click()
    lead.get_by_text("Uudet havainnot samankaltaisuuden mukaan ryhmiteltyinä").wait_for()
    lead.get_by_label("Ilmiön nimi").first.fill("Uupuneet vanhemmat")
    lead.get_by_role("button", name="Hyväksy").first.click()
    lead.get_by_role("link", name="Uupuneet vanhemmat").click()  # in "decided in this meeting"
    lead.get_by_role("heading", name="Lähetä johtoryhmälle").wait_for()
    lead.get_by_role("button", name="Lähetä", exact=True).click()
    lead.get_by_text("Tallennettu.").wait_for()
    phenomenon = Phenomenon.objects.get(title="Uupuneet vanhemmat")
    assert phenomenon.current_body == chain.region

    # The regional group sees what arrived and escalates it with a reason.
    region = new_page()
    login(region, "region")
    region.goto(f"/observations/bodies/{chain.region.pk}/")
    region.get_by_role("link", name="Uupuneet vanhemmat").click()
    region.get_by_text(TEXT).wait_for()
    region.get_by_label("Päätös").select_option(label="vienti seuraavalle tasolle")
    region.get_by_label("Teksti").fill("Sama näkyy kaikissa kunnissa.")
    region.get_by_role("button", name="Kirjaa päätös").click()
    region.get_by_text("Tallennettu.").wait_for()
    axe(region)

    # The provincial group decides.
    province = new_page()
    login(province, "province")
    province.goto(f"/observations/phenomena/{phenomenon.pk}/")
    province.get_by_label("Päätös").select_option(label="vastaus")
    province.get_by_label("Teksti").fill("Perhevalmennus iltaisin koko maakuntaan.")
    province.get_by_role("button", name="Kirjaa päätös").click()
    province.get_by_text("Tallennettu.").wait_for()
    phenomenon.refresh_from_db()
    assert phenomenon.status == PhenomenonStatus.DECIDED

    # Fed back: the worker sees on the team's page what happened to the observations.
    phone_page.goto(f"/observations/bodies/{chain.team.pk}/")
    feedback = phone_page.locator("#feedback")
    feedback.get_by_text("Perhevalmennus iltaisin koko maakuntaan.").wait_for()
    feedback.get_by_text("Sama näkyy kaikissa kunnissa.").wait_for()
