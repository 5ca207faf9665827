"""The home page: what a worker sees of their children, in each language, escaped."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from arki.core.tests.factories import ChildFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_home_lists_my_children_as_links(world, language):
    awkward = ChildFactory(tenant=world.tenant, first_name='Ä "<b>" & Ö', last_name="O'Brien")
    RelationshipFactory(child=awkward, user=world.worker)
    client = world.client_for(world.worker)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="/children/{world.child.pk}/">{world.child.full_name}</a>' in body
    assert f'href="/children/{awkward.pk}/"' in body
    assert "&lt;b&gt;" in body and "<b>" not in body
    with translation.override(language):
        assert _("You have no children on your list yet.") not in body


def test_home_without_children_says_so(world):
    from arki.people.models import ChildRelationship

    ChildRelationship.objects.filter(user=world.worker).delete()
    body = world.client_for(world.worker).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have no children on your list yet." in body
