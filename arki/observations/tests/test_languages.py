from __future__ import annotations

import pytest

from arki.core.tests.test_i18n import compiled_messages  # noqa: F401 - compiles the catalogues
from arki.observations import services

HEADINGS = {
    "fi": ("Mitä havainnoillemme tapahtui", "Aikajana"),
    "sv": ("Vad hände med våra observationer", "Tidslinje"),
    "en": ("What happened to our observations", "Timeline"),
    "da": ("Hvad skete der med vores observationer", "Tidslinje"),
}


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_team_and_phenomenon_pages_render_in_each_language(chain, compiled_messages, language):  # noqa: F811
    p = services.phenomenon_create(
        actor=chain.team_lead,
        team=chain.team,
        title="Yksinäisyys",
        observations=[chain.observe("Nuoret ovat iltaisin yksin.")],
    )
    client = chain.client_for(chain.team_lead)
    team_page = client.get(f"/observations/bodies/{chain.team.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert HEADINGS[language][0] in team_page.content.decode()
    page = client.get(f"/observations/phenomena/{p.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert HEADINGS[language][1] in page.content.decode()
