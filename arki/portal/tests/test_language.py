"""The portal speaks the guardian's language by default, with a switcher that works without
JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client

from arki.core.tests.test_i18n import compiled_messages  # noqa: F401  (a fixture)

from .conftest import issue, open_portal

pytestmark = pytest.mark.django_db

HEADINGS = {
    "fi": "Kuka on nähnyt tietojamme",
    "sv": "Vem har sett våra uppgifter",
    "da": "Hvem har set vores oplysninger",
    "en": "Who has seen our data",
}


@pytest.mark.parametrize("language", ["fi", "sv", "da", "en"])
def test_family_page_is_in_the_guardians_language(world, compiled_messages, language):  # noqa: F811
    world.guardian.preferred_language = language
    world.guardian.save()
    client = open_portal(issue(world).token)
    html = client.get(f"/portal/children/{world.child.pk}/").content.decode()
    assert f'<html lang="{language}">' in html
    assert HEADINGS[language] in html


def test_swedish_guardian_gets_swedish_confirm_page_and_preparation(world, compiled_messages):  # noqa: F811
    world.guardian.preferred_language = "sv"
    world.guardian.save()
    issued = issue(world)
    client = open_portal(issued.token)
    html = client.get(f"/portal/children/{world.child.pk}/prepare/").content.decode()
    assert "Vad oroar dig?" in html and "Skicka mina svar" in html
    assert "Mikä sinua huolettaa?" not in html


def test_confirm_page_is_in_the_recipients_language(world, compiled_messages):  # noqa: F811
    world.guardian.preferred_language = "da"
    world.guardian.save()
    issued = issue(world)
    html = Client().get(f"/portal/open/{issued.token}/").content
    assert "Åbn portalen" in html.decode()


def test_language_switcher_is_a_plain_form_and_overrides_the_default(world, compiled_messages):  # noqa: F811
    world.guardian.preferred_language = "sv"
    world.guardian.save()
    client = open_portal(issue(world).token)
    url = f"/portal/children/{world.child.pk}/"
    html = client.get(url).content.decode()
    assert 'action="/portal/language/" method="post"' in html
    response = client.post("/portal/language/", {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert HEADINGS["en"] in client.get(url).content.decode()


def test_language_switch_refuses_foreign_redirects(world):
    client = open_portal(issue(world).token)
    response = client.post("/portal/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/portal/"
