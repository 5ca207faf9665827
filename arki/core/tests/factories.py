"""Factories for the shared records; Finnish Faker data."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from arki.accounts.models import Membership, Qualification, QualificationKind, Role, User
from arki.organisations.models import Area, Sector, Setting, Tenant, Unit
from arki.people.models import Child, ChildRelationship, Guardian, Guardianship, RelationshipKind

factory.Faker._DEFAULT_LOCALE = "fi_FI"


class TenantFactory(DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Hyvinvointialue {n}")
    slug = factory.Sequence(lambda n: f"alue-{n}")
    country = "FI"


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Kunta {n}")


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    area = factory.SubFactory(AreaFactory)
    tenant = factory.SelfAttribute("area.tenant")
    name = factory.Sequence(lambda n: f"Päiväkoti {n}")
    sector = Sector.ECEC
    setting = Setting.ECEC


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.fi")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    tenant = factory.SelfAttribute("unit.tenant")
    role = Role.WORKER


class QualificationFactory(DjangoModelFactory):
    class Meta:
        model = Qualification

    user = factory.SubFactory(UserFactory)
    kind = QualificationKind.DISCUSSION
    completed_on = dt.date(2025, 5, 1)


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    tenant = factory.SubFactory(TenantFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    birth_date = dt.date(2021, 3, 14)


class GuardianFactory(DjangoModelFactory):
    class Meta:
        model = Guardian

    tenant = factory.SubFactory(TenantFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"guardian{n}@example.fi")
    preferred_language = "fi"


class GuardianshipFactory(DjangoModelFactory):
    class Meta:
        model = Guardianship

    child = factory.SubFactory(ChildFactory)
    guardian = factory.SubFactory(GuardianFactory, tenant=factory.SelfAttribute("..child.tenant"))


class RelationshipFactory(DjangoModelFactory):
    class Meta:
        model = ChildRelationship

    child = factory.SubFactory(ChildFactory)
    user = factory.SubFactory(UserFactory)
    kind = RelationshipKind.RESPONSIBLE
