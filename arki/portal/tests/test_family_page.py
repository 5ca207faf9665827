"""The family's page: what the guardian sees, and nothing about anyone else."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_family_page_names_the_responsible_worker(world, portal_client):
    world.worker.phone = "+358 40 123 4567"
    world.worker.save()
    html = portal_client.get(f"/portal/children/{world.child.pk}/").content.decode()
    assert world.worker.get_full_name() in html
    assert world.unit.name in html
    assert 'href="tel:+358 40 123 4567"' in html
    # A colleague without a relationship is not named.
    assert world.colleague.get_full_name() not in html
