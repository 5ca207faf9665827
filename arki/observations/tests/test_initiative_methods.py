"""An initiative names methods from the region's catalogue; the method page lists it."""

from __future__ import annotations

import pytest

from arki.core.exceptions import DomainError
from arki.core.tests.factories import TenantFactory
from arki.methods.services import method_save
from arki.methods.tests.conftest import Catalogue
from arki.observations import services
from arki.observations.models import Initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(chain) -> Catalogue:
    """The region's catalogue, edited by the coordinator (reviewers are not needed here)."""
    editor = chain.world.coordinator
    return Catalogue(chain.world, editor, reviewer_a=None, reviewer_b=None, leader=None)


@pytest.fixture
def phenomenon(chain):
    rows = [chain.observe("Vanhemmat väsyneitä iltaisin"), chain.observe("Perheet uupuneita")]
    p = services.phenomenon_create(
        actor=chain.team_lead, team=chain.team, title="Uupuneet", observations=rows
    )
    services.phenomenon_send(actor=chain.team_lead, phenomenon=p, indicators=[])
    p.refresh_from_db()
    return p


def test_a_leadership_group_names_a_published_method_for_its_initiative(
    chain, catalogue: Catalogue, phenomenon
):
    method = catalogue.published()
    region = chain.client_for(chain.region_lead)
    page = region.get(f"/observations/phenomena/{phenomenon.pk}/").content.decode()
    assert f'value="{method.pk}"' in page  # offered with the initiative form
    region.post(
        f"/observations/phenomena/{phenomenon.pk}/initiative/",
        {
            "what": "Perhevalmennus iltaisin",
            "why": "Väsymys",
            "who": "Perhekeskus",
            "due_on": "2026-06-30",
            "methods": [str(method.pk)],
        },
    )
    initiative = Initiative.objects.get(phenomenon=phenomenon)
    assert list(initiative.methods.all()) == [method]
    page = region.get(f"/observations/phenomena/{phenomenon.pk}/").content.decode()
    assert f"/methods/manage/{method.slug}/" in page
    staff = chain.client_for(chain.world.coordinator).get(f"/methods/manage/{method.slug}/")
    assert 'id="method-initiatives"' in staff.content.decode()
    assert "Perhevalmennus iltaisin" in staff.content.decode()


def test_a_draft_or_another_regions_method_is_refused(chain, catalogue: Catalogue, phenomenon):
    draft = catalogue.draft("draft-club")
    foreign = method_save(actor=catalogue.editor, tenant=TenantFactory(slug="muu"), slug="x")
    for method in (draft, foreign):
        with pytest.raises(DomainError):
            services.initiative_create(
                actor=chain.region_lead,
                phenomenon=phenomenon,
                body=chain.region,
                what="x",
                why="y",
                who="z",
                due_on=phenomenon.created_at.date(),
                methods=[method],
            )
    assert not Initiative.objects.exists()
