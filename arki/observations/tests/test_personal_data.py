from __future__ import annotations

import pytest

from arki.observations import pii, services
from arki.observations.models import Observation


@pytest.mark.parametrize(
    "text",
    [
        "Tapaus 131052-308T kertoi asiasta.",  # the official example code
        "Henkilötunnus 010594Y9032 mainittiin.",  # the 2023 century sign
        "Soita 040 123 4567 jos tarvitsee.",
        "Ring +358 50 765 4321.",
        "Puhelin 0401234567.",
        "Kirjoita osoitteeseen matti.meikalainen@example.fi",
    ],
)
def test_personal_data_is_found(text):
    assert pii.find_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nuoret viettävät iltoja yksin, 7–9-luokkalaisista moni ei harrasta mitään.",
        "Vuonna 2024 jonot kasvoivat 30 prosenttia.",
        "Koulussa on 450 oppilasta ja 12 luokkaa.",
        "Hetu-tyyppinen numero 131052-308U ei ole oikea (väärä tarkiste).",
    ],
)
def test_ordinary_text_passes(text):
    assert pii.find_personal_data(text) == []


def test_identity_code_needs_a_valid_check_character():
    assert pii.is_valid_hetu("131052-308T")
    assert not pii.is_valid_hetu("131052-308U")


def test_child_names_are_found_in_inflected_forms():
    names = {"Eetu", "Esimerkki"}
    assert [f.text for f in pii.find_personal_data("Eetun isä kertoi", child_names=names)] == [
        "Eetun"
    ]
    assert pii.find_personal_data("Puhuimme Eetulle", child_names=names)
    assert pii.find_personal_data("Perhe Esimerkki muutti", child_names=names)
    assert pii.find_personal_data("eetu ei ole nimi pienellä", child_names=names) == []


def test_observation_with_a_child_of_the_tenant_is_refused(chain):
    with pytest.raises(services.PersonalDataError) as error:
        chain.observe("Eetu Esimerkki jää yksin välitunnilla.")
    assert "Eetu" in str(error.value.message)
    assert not Observation.objects.exists()


def test_form_error_keeps_the_typed_text(chain):
    client = chain.client_for(chain.team_member)
    text = "Soittakaa äidille 040 123 4567, lapset ovat paljon yksin."
    response = client.post("/observations/new/", {"text": text, "team": chain.team.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "040 123 4567" in page  # the typed text stays in the form
    assert "eivät henkilöistä" in page  # the form error, in Finnish
    assert not Observation.objects.exists()


def test_empty_and_overlong_text_are_clear_errors(chain):
    client = chain.client_for(chain.team_member)
    response = client.post("/observations/new/", {"text": "", "team": chain.team.pk})
    assert response.status_code == 200 and b"errorlist" in response.content
    response = client.post("/observations/new/", {"text": "x" * 1001, "team": chain.team.pk})
    assert response.status_code == 200 and b"errorlist" in response.content
    assert not Observation.objects.exists()
