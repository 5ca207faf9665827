"""``rows_exist`` answers what the ORM's ``exists()`` answers, for several tables in one query."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from arki.core.probe import rows_exist
from arki.core.tests.factories import ChildFactory, RelationshipFactory
from arki.people.models import Child, ChildRelationship, Enrolment, NetworkPerson

pytestmark = pytest.mark.django_db


def test_one_query_answers_each_check_as_the_orm_does(world):
    other = ChildFactory(tenant=world.tenant)
    NetworkPerson.objects.create(child=other, name="Mummo", relation="isoäiti")
    ended = RelationshipFactory(child=other, user=world.colleague)
    ended.ended_at = timezone.now()
    ended.save()
    checks = [
        (NetworkPerson, {"child": world.child.pk}),
        (NetworkPerson, {"child_id": other.pk}),
        (ChildRelationship, {"child": world.child.pk, "ended_at": None}),
        (ChildRelationship, {"child": other.pk, "ended_at": None}),
        (ChildRelationship, {"child": other.pk, "user": world.colleague.pk}),
        (Enrolment, {"child": world.child.pk, "unit": world.unit.pk, "ended_on": None}),
        (Enrolment, {"child": world.child.pk, "unit": world.other_unit.pk}),
    ]
    with CaptureQueriesContext(connection) as ctx:
        answers = rows_exist(*checks)
    assert len(ctx.captured_queries) == 1
    expected = (
        NetworkPerson.objects.filter(child=world.child).exists(),
        NetworkPerson.objects.filter(child=other).exists(),
        ChildRelationship.objects.active().filter(child=world.child).exists(),
        ChildRelationship.objects.active().filter(child=other).exists(),
        ChildRelationship.objects.filter(child=other, user=world.colleague).exists(),
        Enrolment.objects.filter(child=world.child, unit=world.unit, ended_on=None).exists(),
        Enrolment.objects.filter(child=world.child, unit=world.other_unit).exists(),
    )
    assert answers == expected == (False, True, True, False, True, True, False)


def test_a_pk_as_text_is_accepted_like_the_orm_accepts_it(world):
    assert rows_exist((Enrolment, {"child": str(world.child.pk)})) == (True,)


def test_only_columns_can_be_probed(world):
    with pytest.raises(ValueError):  # a reverse relation has no column of its own
        rows_exist((Child, {"network": world.child.pk}))
    with pytest.raises(FieldDoesNotExist):  # no lookups across relations
        rows_exist((NetworkPerson, {"child__tenant": world.tenant.pk}))
    assert rows_exist() == ()


def test_a_collection_of_values_is_in(world):
    other = ChildFactory(tenant=world.tenant)
    checks = [
        (ChildRelationship, {"child": [world.child.pk, other.pk], "ended_at": None}),
        (ChildRelationship, {"child": {other.pk}}),
        (ChildRelationship, {"child": frozenset()}),
        (ChildRelationship, {"child": (world.child.pk,), "kind": ["responsible", "x"]}),
    ]
    expected = (
        ChildRelationship.objects.filter(child__in=[world.child, other], ended_at=None).exists(),
        ChildRelationship.objects.filter(child=other).exists(),
        False,
        ChildRelationship.objects.filter(child=world.child, kind="responsible").exists(),
    )
    assert rows_exist(*checks) == expected == (True, False, False, expected[3])
