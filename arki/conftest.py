"""Personas shared by every app's tests (SECURITY.md: own worker, colleague, outsider,
coordinator, anonymous)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from arki.accounts.models import QualificationKind, Role
from arki.browser_tests.fixtures import (  # noqa: F401 - the browser fixtures, once per session
    axe,
    browser,
    login,
    new_page,
    page,
    phone_page,
)
from arki.core.tests.factories import (
    AreaFactory,
    ChildFactory,
    GuardianshipFactory,
    MembershipFactory,
    QualificationFactory,
    RelationshipFactory,
    TenantFactory,
    UnitFactory,
    UserFactory,
)


@dataclass
class World:
    tenant: Any
    unit: Any
    other_unit: Any
    child: Any
    guardian: Any
    worker: Any
    colleague: Any
    outsider: Any
    other_area_worker: Any
    coordinator: Any
    manager: Any

    def client_for(self, user: Any) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def world(db) -> World:
    tenant = TenantFactory(name="Pohjanmaan hyvinvointialue", slug="pohjanmaa")
    area = AreaFactory(tenant=tenant, name="Vaasa")
    unit = UnitFactory(area=area, name="Päiväkoti Satakieli")
    other_area = AreaFactory(tenant=tenant, name="Mustasaari")
    other_unit = UnitFactory(area=other_area, name="Koulu Tuulimylly")
    other_tenant = TenantFactory(name="Lolland Kommune", slug="lolland", country="DK")
    foreign_unit = UnitFactory(area=AreaFactory(tenant=other_tenant, name="Nakskov"))

    def staff(unit_, role=Role.WORKER, qualified=True, **kw):
        user = UserFactory(**kw)
        MembershipFactory(user=user, unit=unit_, role=role)
        if qualified:
            QualificationFactory(user=user, kind=QualificationKind.DISCUSSION)
        return user

    worker = staff(unit, username="worker", first_name="Aino", last_name="Työntekijä")
    colleague = staff(unit, username="colleague")
    outsider = staff(foreign_unit, username="outsider")
    other_area_worker = staff(other_unit, username="otherarea")
    coordinator = staff(unit, role=Role.COORDINATOR, qualified=False, username="coordinator")
    manager = staff(unit, role=Role.UNIT_MANAGER, username="manager")
    child = ChildFactory(tenant=tenant, first_name="Eetu", last_name="Esimerkki")
    child.enrolments.create(unit=unit)
    guardian = GuardianshipFactory(child=child).guardian
    RelationshipFactory(child=child, user=worker)
    return World(
        tenant,
        unit,
        other_unit,
        child,
        guardian,
        worker,
        colleague,
        outsider,
        other_area_worker,
        coordinator,
        manager,
    )
