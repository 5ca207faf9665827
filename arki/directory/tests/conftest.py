from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from arki.accounts.models import Role
from arki.core.tests.factories import MembershipFactory, UnitFactory, UserFactory
from arki.directory import services
from arki.organisations.models import Sector


@dataclass
class DirectoryWorld:
    world: Any
    social_unit: Any
    social_worker: Any
    social_colleague: Any
    psychologist: Any
    service: Any
    person: Any


@pytest.fixture
def directory(world) -> DirectoryWorld:
    social_unit = UnitFactory(
        area=world.unit.area, name="Lapsiperheiden sosiaalityö", sector=Sector.SOCIAL
    )
    social_worker = UserFactory(username="social", first_name="Sanna", last_name="Sosiaali")
    MembershipFactory(user=social_worker, unit=social_unit, role=Role.WORKER)
    social_colleague = UserFactory(username="social2")
    MembershipFactory(user=social_colleague, unit=social_unit, role=Role.WORKER)
    psychologist = UserFactory(
        username="psy", email="psykologi@example.fi", preferred_language="sv"
    )
    MembershipFactory(user=psychologist, unit=world.other_unit, role=Role.WORKER)
    service = services.directory_entry_save(
        actor=world.coordinator,
        tenant=world.tenant,
        kind="service",
        name="Perhesosiaalityön konsultaatio",
        sector=Sector.SOCIAL,
        unit=social_unit,
        email="perhesosiaalityo@example.fi",
        texts={
            "fi": {
                "title": "Perhesosiaalityön konsultaatio",
                "description": "Neuvoja lapsiperheiden arjen tukeen.",
                "expertise": "toimeentulo, asuminen, perheväkivalta",
            },
            "sv": {
                "title": "Konsultation i familjesocialt arbete",
                "description": "Råd om stöd i barnfamiljers vardag.",
                "expertise": "utkomst, boende, våld i familjen",
            },
            "en": {
                "title": "Family social work consultation",
                "description": "Advice on supporting families' everyday life.",
                "expertise": "income, housing, domestic violence",
            },
            "da": {
                "title": "Rådgivning fra familiesocialt arbejde",
                "description": "Råd om støtte til børnefamiliers hverdag.",
                "expertise": "forsørgelse, bolig, vold i familien",
            },
        },
    )
    person = services.directory_entry_save(
        actor=world.coordinator,
        tenant=world.tenant,
        kind="person",
        name="Petra Psykologi",
        sector=Sector.HEALTH,
        user=psychologist,
        texts={
            "fi": {
                "title": "Perheneuvolan psykologi",
                "description": "Lapsen tunne-elämä ja käytös.",
                "expertise": "ahdistus, uni, käytöshäiriöt",
            },
        },
    )
    return DirectoryWorld(
        world, social_unit, social_worker, social_colleague, psychologist, service, person
    )
