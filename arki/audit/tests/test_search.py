"""The audit search's "Who": staff by user id (indexed), other actors by label, bounded."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arki.audit import selectors
from arki.audit import services as audit


def _portal_actor(name: str) -> SimpleNamespace:
    return SimpleNamespace(audit_label=name, audit_role="guardian")


@pytest.mark.django_db
def test_who_finds_a_staff_members_events_by_user_even_under_an_old_label(world):
    world.worker.current_membership = world.worker.memberships.first()
    old = audit.record(world.worker, "people.child.viewed", subjects=[world.child])
    world.worker.first_name = "Aina"  # renamed since: the old event still carries "Aino"
    world.worker.save()
    new = audit.record(world.worker, "people.child.viewed", subjects=[world.child])
    world.colleague.current_membership = world.colleague.memberships.first()
    audit.record(world.colleague, "people.child.viewed", subjects=[world.child])

    found = selectors.events_search(tenant_id=world.tenant.pk, actor="aina työ")

    assert [e.pk for e in found] == [new.pk, old.pk]


@pytest.mark.django_db
def test_who_does_not_reach_other_tenants_events(world):
    world.outsider.current_membership = world.outsider.memberships.first()
    audit.record(world.outsider, "people.child.list_viewed")
    assert selectors.events_search(tenant_id=world.tenant.pk, actor="outsider") == []


@pytest.mark.django_db
def test_who_matches_portal_and_system_actors_by_label_among_the_newest_events(world, monkeypatch):
    tenant_id = world.tenant.pk
    oldest = audit.record(
        _portal_actor("Huoltaja Virtanen"), "people.child.viewed", tenant_id=tenant_id
    )
    for _ in range(3):
        audit.record(_portal_actor("Huoltaja Nieminen"), "people.child.viewed", tenant_id=tenant_id)
    newest = audit.record(
        _portal_actor("Huoltaja Virtanen"), "people.child.viewed", tenant_id=tenant_id
    )

    found = selectors.events_search(tenant_id=tenant_id, actor="virtanen")
    assert [e.pk for e in found] == [newest.pk, oldest.pk]

    monkeypatch.setattr(selectors, "LABEL_SCAN_LIMIT", 4)  # the oldest is now out of reach
    found = selectors.events_search(tenant_id=tenant_id, actor="virtanen")
    assert [e.pk for e in found] == [newest.pk]


@pytest.mark.django_db
def test_a_name_with_no_matches_does_not_filter_the_log_by_label(world):
    world.worker.current_membership = world.worker.memberships.first()
    for _ in range(3):
        audit.record(world.worker, "people.child.viewed", subjects=[world.child])
    with CaptureQueriesContext(connection) as ctx:
        found = selectors.events_search(tenant_id=world.tenant.pk, actor="Nobody Matches")
    assert found == []
    # Staff are looked up by name; the log is only searched by label among events without a
    # user (bounded by LABEL_SCAN_LIMIT), never by label across every staff member's events.
    # LIKE on the label: SQLite's, or PostgreSQL's UPPER("actor_label"::text) LIKE
    on_label = re.compile(r'"actor_label"(::text\))? LIKE')
    label_searches = [q["sql"] for q in ctx.captured_queries if on_label.search(q["sql"])]
    assert len(label_searches) == 1
    assert "actor_id" in label_searches[0] and "IS NULL" in label_searches[0]


@pytest.mark.django_db
def test_audit_search_page_lists_a_named_workers_events(world):
    world.client_for(world.worker).get(f"/children/{world.child.pk}/")
    response = world.client_for(world.coordinator).get("/audit/?actor=Työntekijä")
    assert response.status_code == 200
    events = response.context["events"]
    assert events and {e.actor_id for e in events} == {world.worker.pk}
    response = world.client_for(world.coordinator).get("/audit/?actor=Nobody+Matches")
    assert response.status_code == 200 and response.context["events"] == []


@pytest.mark.django_db
def test_a_name_matching_many_staff_members_gives_the_same_events(world):
    for user in (world.worker, world.colleague):
        user.current_membership = user.memberships.first()
        audit.record(user, "people.child.viewed", subjects=[world.child])
    found = selectors.events_search(tenant_id=world.tenant.pk, actor="o")  # worker, colleague…
    assert {e.actor_id for e in found} == {world.worker.pk, world.colleague.pk}
    with pytest.MonkeyPatch.context() as mp:
        # One subquery of the matching users, as on SQLite:
        mp.setattr(selectors, "_pages_per_user", lambda *a, **k: False)
        assert selectors.events_search(tenant_id=world.tenant.pk, actor="o") == found


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_on_postgresql_each_matching_staff_members_newest_page_is_fetched_on_its_own(world):
    # actor_id IN (...) made PostgreSQL walk the whole log by time (0.1-1 s on 1 M events).
    events = []
    for user in (world.worker, world.colleague):
        user.current_membership = user.memberships.first()
        for _ in range(3):
            events.append(audit.record(user, "people.child.viewed", subjects=[world.child]))
    newest_first = sorted(events, key=lambda e: e.occurred_at, reverse=True)
    with CaptureQueriesContext(connection) as ctx:
        found = selectors.events_search(
            tenant_id=world.tenant.pk, actor="o", before=newest_first[0].occurred_at
        )
    assert [e.pk for e in found] == [e.pk for e in newest_first[1:]]
    by_user = [q["sql"] for q in ctx.captured_queries if "LATERAL" in q["sql"]]
    assert len(by_user) == 1 and '"actor_id" IN' not in by_user[0]
    assert len(ctx.captured_queries) == 2  # the staff's events, the label scan


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_on_sqlite_the_matching_staff_are_one_subquery_never_a_list_of_ids(world):
    # Given 40 or more literal ids SQLite walks the whole log by time (0.4 s on 1 M events).
    world.worker.current_membership = world.worker.memberships.first()
    audit.record(world.worker, "people.child.viewed", subjects=[world.child])
    with CaptureQueriesContext(connection) as ctx:
        found = selectors.events_search(tenant_id=world.tenant.pk, actor="Työntekijä")
    assert [e.actor_id for e in found] == [world.worker.pk]
    by_user = [q["sql"] for q in ctx.captured_queries if '"actor_id" IN' in q["sql"]]
    assert len(by_user) == 1 and '"actor_id" IN (SELECT' in by_user[0]
    assert len(ctx.captured_queries) == 2  # the staff's events, the label scan


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_on_postgresql_a_subject_with_few_events_keeps_the_matching_staff_a_subquery(
    world, monkeypatch
):
    # Each user's own events would be walked for the subject's few (1.4 s for "Staff 1").
    for user in (world.worker, world.colleague):
        user.current_membership = user.memberships.first()
        audit.record(user, "people.child.viewed", subjects=[world.child])
        audit.record(user, "people.child.list_viewed")
    search = {"tenant_id": world.tenant.pk, "actor": "o", "subject_id": world.child.pk}
    with CaptureQueriesContext(connection) as ctx:
        found = selectors.events_search(**search)
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert not any("LATERAL" in sql for sql in sqls)
    assert any(sql.startswith("EXPLAIN") for sql in sqls)  # the planner's estimate
    assert any('"actor_id" IN (SELECT' in sql for sql in sqls)
    assert {e.actor_id for e in found} == {world.worker.pk, world.colleague.pk}
    assert len(found) == 2

    monkeypatch.setattr(selectors, "FEW_FILTERED_EVENTS", 0)  # as if the subject had many
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.events_search(**search) == found
    assert any("LATERAL" in q["sql"] for q in ctx.captured_queries)
