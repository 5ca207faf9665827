"""Prepared reads (arki.core.prepared) give what their plain querysets give."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from arki.accounts.models import Membership
from arki.core.prepared import NotPreparable, Param, Prepared
from arki.core.tests.factories import ChildFactory, MembershipFactory, UserFactory
from arki.people.models import Child

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def _same(prepared: list, plain: list) -> None:
    assert [type(o) for o in prepared] == [type(o) for o in plain]
    assert [_fields(o) for o in prepared] == [_fields(o) for o in plain]
    for o in prepared:
        assert o._state.adding is False
        assert o._state.db == "default"


def test_equality_and_in_params_match_the_queryset():
    members = [MembershipFactory() for _ in range(3)]
    by_user = Prepared(
        lambda user: Membership.objects.filter(user_id=user).order_by("created_at"),
        user=Param(Membership, "user"),
    )
    for m in members:
        _same(by_user(user=m.user_id), list(by_user.queryset(user=m.user_id)))
    assert by_user(user=uuid.uuid4()) == []

    by_users = Prepared(
        lambda users: Membership.objects.filter(user_id__in=users).order_by("created_at"),
        users=Param(Membership, "user", many=True),
    )
    for chosen in ([members[0].user_id], [m.user_id for m in members[1:]], []):
        _same(by_users(users=chosen), list(by_users.queryset(users=chosen)))
    # One plan per number of values; the SQL is not written again.
    assert set(by_users._plans) == {("default", (1,), ()), ("default", (2,), ())}


def test_select_related_and_annotations_are_filled():
    m = MembershipFactory()
    prepared = Prepared(
        lambda pk: (
            Membership.objects.filter(pk=pk)
            .select_related("unit", "tenant", "user")
            .annotate(n=Count("user__memberships"))
        ),
        pk=Param(Membership, "id"),
    )
    [got] = prepared(pk=m.pk)
    [plain] = list(prepared.queryset(pk=m.pk))
    with CaptureQueriesContext(connection) as q:
        assert got.unit.name == plain.unit.name
        assert got.tenant.name == plain.tenant.name
        assert got.user.username == plain.user.username
    assert len(q.captured_queries) == 0
    assert got.n == plain.n == 1
    _same([got.unit, got.tenant, got.user], [plain.unit, plain.tenant, plain.user])


def test_values_are_converted_as_the_orm_does():
    child = ChildFactory(birth_date=date(2019, 5, 4))
    prepared = Prepared(lambda pk: Child.objects.filter(pk=pk), pk=Param(Child, "id"))
    [got] = prepared(pk=child.pk)
    assert got.birth_date == date(2019, 5, 4)
    assert isinstance(got.pk, uuid.UUID)
    assert got.created_at == Child.objects.get(pk=child.pk).created_at
    # A string form of the id binds as the ORM's would.
    assert [c.pk for c in prepared(pk=str(child.pk))] == [child.pk]


def test_each_call_is_one_query_with_the_new_values():
    users = [UserFactory() for _ in range(2)]
    prepared = Prepared(
        lambda name: type(users[0]).objects.filter(username=name),
        name=Param(type(users[0]), "username"),
    )
    prepared(name=users[0].username)
    with CaptureQueriesContext(connection) as q:
        assert [u.pk for u in prepared(name=users[1].username)] == [users[1].pk]
    assert len(q.captured_queries) == 1
    sql = str(q.captured_queries[0]["sql"])
    assert str(users[1].username) in sql


def test_a_parameter_the_query_transforms_is_refused():
    UserFactory()
    model = type(UserFactory())
    contains = Prepared(
        lambda name: model.objects.filter(username__icontains=name), name=Param(model, "username")
    )
    with pytest.raises(NotPreparable):
        contains(name="x")
    unused = Prepared(lambda name: model.objects.all(), name=Param(model, "username"))
    with pytest.raises(NotPreparable):
        unused(name="x")
    values = Prepared(
        lambda name: model.objects.filter(username=name).values("pk"), name=Param(model, "username")
    )
    with pytest.raises(NotPreparable):
        values(name="x")


def test_wrong_arguments_are_refused():
    prepared = Prepared(lambda pk: Child.objects.filter(pk=pk), pk=Param(Child, "id"))
    with pytest.raises(TypeError):
        prepared(id=uuid.uuid4())


def test_optional_contains_and_shape_arguments():
    from arki.accounts.models import User

    users = [
        UserFactory(username=name, first_name=first, is_active=active)
        for name, first, active in [
            ("aino_x", "Aino", True),
            ("ville", "Ville 100%", True),
            ("pekka", "Pekka_1", False),
            ("ainomaija", "Maija", False),
        ]
    ]

    def build(text, after, active_only, prefix=None):
        qs = User.objects.filter(first_name__icontains=text) | User.objects.filter(
            username__icontains=text
        )
        if prefix is not None:
            qs = qs.filter(username__startswith=prefix)
        if after is not None:
            qs = qs.filter(date_joined__gte=after)
        return qs.filter(is_active=True) if active_only else qs

    prepared = Prepared(
        build,
        text=Param(User, "first_name", contains=True),
        after=Param(User, "date_joined", optional=True),
        prefix=Param(User, "username", startswith=True, optional=True),
    )
    joined = users[1].date_joined
    for text in ("aino", "AINO", "100%", "_", "_1", "%", "nobody"):
        for after in (None, joined):
            for active_only, prefix in ((False, None), (True, None), (False, "ain"), (True, "_")):
                values = {"text": text, "after": after, "active_only": active_only}
                values["prefix"] = prefix
                _same(
                    sorted(prepared(**values), key=lambda u: u.username),
                    sorted(prepared.queryset(**values), key=lambda u: u.username),
                )
    found = prepared(text="100%", after=None, active_only=False, prefix=None)
    assert {u.username for u in found} == {"ville"}
    assert {
        u.username for u in prepared(text="a", after=None, active_only=False, prefix="ain")
    } == {
        "aino_x",
        "ainomaija",
    }
    assert len(prepared._plans) == 8  # presence of ``after`` × ``active_only`` × ``prefix``
    with pytest.raises(TypeError):
        Prepared(
            build, text=Param(User, "first_name", contains=True), after=Param(User, "date_joined")
        )(text="a", after=None, active_only=False)
