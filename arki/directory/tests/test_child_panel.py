"""The consultations panel on the child page: one query, only the child's requests."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arki.core.tests.factories import ChildFactory, RelationshipFactory
from arki.directory import selectors
from arki.directory.models import Consultation

from .test_consultations import _send

pytestmark = pytest.mark.django_db


def test_about_child_lists_only_the_childs_requests_in_one_query(directory):
    world = directory.world
    child = world.child
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.about_child(child) == []
    assert len(ctx.captured_queries) == 1
    _send(directory)
    _send(directory, entry=directory.person)
    other = ChildFactory(tenant=world.tenant)
    RelationshipFactory(child=other, user=world.worker)
    world.client_for(world.worker).post(
        f"/directory/children/{other.pk}/consult/",
        {"entry": str(directory.service.pk), "question": "Toisen lapsen asia"},
    )
    assert Consultation.objects.count() == 3
    with CaptureQueriesContext(connection) as ctx:
        listed = selectors.about_child(child)
    assert listed == list(child.consultations.all()) and len(listed) == 2
    assert len(ctx.captured_queries) == 1
    page = world.client_for(world.worker).get(f"/children/{child.pk}/").content.decode()
    assert all(f"/directory/consultations/{c.pk}/" in page for c in listed)
    assert "Toisen lapsen asia" not in page
