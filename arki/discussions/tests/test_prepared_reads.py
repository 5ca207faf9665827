"""The project's prepared reads (arki.core.prepared) give what their plain querysets give."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def _same(prepared: list, plain: list) -> None:
    assert [type(o) for o in prepared] == [type(o) for o in plain]
    assert [_fields(o) for o in prepared] == [_fields(o) for o in plain]


def test_the_projects_prepared_reads_match_their_querysets(world, discussion):
    """Every prepared read of the project, on a discussion with rows of each kind."""
    from datetime import date as day

    from arki.accounts.access import _relationships_in_tenants
    from arki.accounts.models import _valid_qualifications
    from arki.discussions import selectors, services

    section = discussion.template.sections.first()
    obs = services.observation_add(
        actor=world.worker, discussion=discussion, section_id=section.pk, kind="strength", text="x"
    )
    services.observation_add(
        actor=world.worker,
        discussion=discussion,
        section_id=section.pk,
        kind="vulnerability",
        text="y",
    )
    services.note_save(actor=world.worker, discussion=discussion, section_id=section.pk, text="n")
    services.session_add(actor=world.worker, discussion=discussion, held_on=day(2026, 9, 10))
    services.action_add(
        actor=world.worker,
        discussion=discussion,
        what="a",
        owner_kind="worker",
        owner_worker=world.worker,
        serves=obs,
        review_on=day(2026, 10, 1),
    )
    services.action_add(actor=world.worker, discussion=discussion, what="b", owner_kind="family")
    reads = [
        (selectors._DISCUSSION, {"child": world.child.pk, "pk": discussion.pk}),
        (selectors._OBSERVATIONS, {"discussion": discussion.pk}),
        (selectors._NOTES, {"discussion": discussion.pk}),
        (selectors._SESSIONS, {"discussion": discussion.pk}),
        (selectors._ACTIONS, {"discussion": discussion.pk}),
        (selectors._OPEN_WITH_DATES, {"lead": world.worker.pk}),
        (_valid_qualifications(), {"user": world.worker.pk}),
        (
            _relationships_in_tenants(),
            {"child": world.child.pk, "user": world.worker.pk, "tenants": {world.tenant.pk}},
        ),
    ]
    for prepared, values in reads:
        got, plain = prepared(**values), list(prepared.queryset(**values))
        assert got, prepared.build
        _same(got, plain)
        for a, b in zip(got, plain, strict=True):
            for attr in ("last_session", "next_date"):  # annotations
                assert getattr(a, attr, None) == getattr(b, attr, None)
            for name in ("template", "unit", "lead", "owner_worker", "child"):
                field = type(a)._meta.fields_map.get(name) or next(
                    (f for f in type(a)._meta.fields if f.name == name), None
                )
                if field is not None and field.is_cached(b):
                    assert field.is_cached(a)
                    ra, rb = getattr(a, name), getattr(b, name)
                    assert (ra is None) == (rb is None)
                    if rb is not None:
                        assert _fields(ra) == _fields(rb)
    [open_one] = selectors._OPEN_WITH_DATES(lead=world.worker.pk)
    assert open_one.last_session == day(2026, 9, 10)
    assert open_one.next_date == day(2026, 10, 1)
