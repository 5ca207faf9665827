from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from arki.accounts.models import Role
from arki.core.tests.factories import MembershipFactory, UserFactory
from arki.observations import services
from arki.observations.models import Body, BodyMember, Level
from arki.organisations.models import Sector


@dataclass
class Chain:
    world: Any
    levels: list[Level]
    team: Body
    other_team: Body
    region: Body
    province: Body
    board: Body
    team_lead: Any  # the team's coordinator
    team_member: Any
    other_team_member: Any
    region_lead: Any
    province_lead: Any
    board_lead: Any

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def observe(self, text: str, team: Body | None = None, author: Any = None) -> Any:
        return services.observation_create(
            actor=author or self.team_member, team=team or self.team, text=text
        )


@pytest.fixture(autouse=True)
def lexical_by_default(settings):
    """Most tests do not measure grouping: the fast lexical method keeps them quick."""
    settings.ARKI_OBSERVATION_EMBEDDER = "lexical"


@pytest.fixture
def chain(world) -> Chain:
    tenant = world.tenant

    def person(role: str = Role.WORKER, unit: Any = world.unit, **kw: Any) -> Any:
        user = UserFactory(**kw)
        MembershipFactory(user=user, unit=unit, role=role)
        return user

    names = [
        "Paikallinen tiimi",
        "Alueellinen johtoryhmä",
        "Maakunnallinen ryhmä",
        "Hyte-lautakunta",
    ]
    levels = [Level.objects.create(tenant=tenant, name=n, rank=i + 1) for i, n in enumerate(names)]
    board_lead = person(Role.LEADERSHIP, username="board")
    province_lead = person(Role.LEADERSHIP, username="province")
    region_lead = person(Role.LEADERSHIP, username="region")
    board = Body.objects.create(tenant=tenant, level=levels[3], name="Hyte", coordinator=board_lead)
    province = Body.objects.create(
        tenant=tenant, level=levels[2], name="Maakunta", parent=board, coordinator=province_lead
    )
    region = Body.objects.create(
        tenant=tenant,
        level=levels[1],
        name="Vaasan johtoryhmä",
        parent=province,
        coordinator=region_lead,
    )
    team_lead = world.coordinator
    team = Body.objects.create(
        tenant=tenant,
        level=levels[0],
        name="Vaasan tiimi",
        parent=region,
        coordinator=team_lead,
        area=world.unit.area,
    )
    other_team = Body.objects.create(
        tenant=tenant,
        level=levels[0],
        name="Mustasaaren tiimi",
        parent=region,
    )
    BodyMember.objects.create(body=team, user=world.worker, sector=Sector.ECEC)
    BodyMember.objects.create(body=team, name="Seurakunnan nuorisotyö", sector=Sector.PARISH)
    other_team_member = world.other_area_worker
    BodyMember.objects.create(body=other_team, user=other_team_member, sector=Sector.SCHOOL)
    return Chain(
        world,
        levels,
        team,
        other_team,
        region,
        province,
        board,
        team_lead,
        world.worker,
        other_team_member,
        region_lead,
        province_lead,
        board_lead,
    )
