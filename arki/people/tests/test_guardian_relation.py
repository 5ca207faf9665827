"""A guardian's relation to the child is a choice stored as a code and shown in the reader's
language ("(äiti)" in Finnish, "(mor)" in Swedish), never as the code or in another language."""

from __future__ import annotations

import pytest

from arki.people.models import GuardianRelation, Guardianship

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "shown"), [("fi", "(äiti)"), ("sv", "(mor)"), ("en", "(mother)"), ("da", "(mor)")]
)
def test_the_relation_is_shown_in_the_readers_language(world, language, shown):
    Guardianship.objects.filter(guardian=world.guardian).update(relation=GuardianRelation.MOTHER)
    client = world.client_for(world.worker)
    client.cookies["arki_language"] = language
    page = client.get(f"/children/{world.child.pk}/").content.decode()
    assert f"{world.guardian} {shown}" in page
    assert "(mother)" not in page or language == "en"


def test_a_guardian_is_added_with_a_relation_from_the_choices(world):
    client = world.client_for(world.worker)
    response = client.post(
        f"/children/{world.child.pk}/guardians/new/",
        {"first_name": "Maija", "last_name": "Esimerkki", "relation": "äiti",
         "preferred_language": "fi"},
    )  # fmt: skip
    assert response.status_code == 200  # refused: a free-text relation is not a choice
    response = client.post(
        f"/children/{world.child.pk}/guardians/new/",
        {"first_name": "Maija", "last_name": "Esimerkki", "relation": "mother",
         "preferred_language": "fi"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Guardianship.objects.get(guardian__first_name="Maija").relation == "mother"
