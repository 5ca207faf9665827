"""The audit search gives the events its earlier implementation gave, on a generated log:
staff with and without matching names (members, past members, other tenants' staff, many
staff with few events or none), events without a user found by label, every filter, and
pagination with ``before``; on SQLite and on PostgreSQL, where each matching user's newest
page is fetched on its own."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from arki.accounts.models import Membership, User
from arki.audit import selectors
from arki.audit.models import AuditEvent, AuditSubject
from arki.core.tests.factories import MembershipFactory, UserFactory

# The old implementation's limit: up to this many matching users' ids were listed.
OLD_MAX_LISTED_ACTORS = 100


def _old_actor_ids_matching(*, tenant_id: Any, text: str) -> QuerySet:
    members = Membership.objects.filter(tenant_id=tenant_id).values("user_id")
    return (
        User.objects.filter(pk__in=members)
        .annotate(full=Concat("first_name", Value(" "), "last_name"))
        .filter(Q(full__icontains=text) | Q(username__icontains=text))
        .order_by()
        .values_list("pk", flat=True)
    )


def _old_events_search(
    *,
    tenant_id,
    actor="",
    action="",
    subject_id=None,
    since=None,
    until=None,
    before=None,
    disclosures_only=False,
):
    """``selectors.events_search`` before the search was made cheaper (commit f3d8203)."""
    qs = AuditEvent.objects.filter(tenant_id=tenant_id)
    if action:
        qs = qs.filter(action__startswith=action)
    if subject_id is not None:
        qs = qs.filter(subjects__subject_id=subject_id)
    if since is not None:
        qs = qs.filter(occurred_at__gte=since)
    if until is not None:
        qs = qs.filter(occurred_at__lt=until)
    if before is not None:
        qs = qs.filter(occurred_at__lt=before)
    if disclosures_only:
        qs = qs.filter(is_disclosure=True)
    qs = qs.order_by("-occurred_at")
    if not actor:
        return list(qs[: selectors.PAGE_SIZE])
    matching = _old_actor_ids_matching(tenant_id=tenant_id, text=actor)
    listed = list(matching[: OLD_MAX_LISTED_ACTORS + 1])
    by_user: list[AuditEvent] = []
    if listed:
        users = listed if len(listed) <= OLD_MAX_LISTED_ACTORS else matching
        by_user = list(qs.filter(actor_id__in=users)[: selectors.PAGE_SIZE])
    without_user = qs.filter(actor__isnull=True)
    limit = selectors.LABEL_SCAN_LIMIT
    cutoff = without_user.values_list("occurred_at", flat=True)[limit - 1 : limit].first()
    if cutoff is not None:
        without_user = without_user.filter(occurred_at__gte=cutoff)
    by_label = list(without_user.filter(actor_label__icontains=actor)[: selectors.PAGE_SIZE])
    merged = {event.pk: event for event in by_user + by_label}
    return sorted(merged.values(), key=lambda e: e.occurred_at, reverse=True)[: selectors.PAGE_SIZE]


START = datetime(2026, 1, 1, tzinfo=UTC)
NAMES = [
    ("Aino", "Virtanen"),
    ("Aino", "Nieminen"),
    ("Matti", "Virtanen"),
    ("Liisa", "Korhonen"),
    ("Pekka", "Mäkinen"),
    ("Anna", "Aino"),
    ("Äijä", "Öhman"),
    ("Åsa", ""),  # no last name: "Åsa "
    ("", "Ålander"),  # no first name: " Ålander"
    ("Tuula", "Tietäväinen"),  # found by username only (tietohallinto)
]
USERNAMES = {9: "tietohallinto"}
LABELS = ["Huoltaja Virtanen", "Lapsi Aino", "system", "Kutsuttu Korhonen", "Huoltaja Laine"]
ACTIONS = ["people.child.viewed", "people.child.list_viewed", "discussions.discussion.viewed"]


@pytest.fixture
def log(world):
    """About 700 events of the world's tenant and another, each at its own time; 40 further
    staff members ("Aino Harva…") with a few events each or none."""
    rng = random.Random(2)
    tenant_id = world.tenant.pk
    staff: list[User] = []
    for i, (first, last) in enumerate(NAMES):
        username = USERNAMES.get(i, f"staff{i}")
        user = UserFactory(first_name=first, last_name=last, username=username)
        MembershipFactory(user=user, unit=world.unit, is_active=i != 1)  # one past member
        staff.append(user)
    stranger = UserFactory(first_name="Aino", last_name="Muualla", username="elsewhere")
    MembershipFactory(user=stranger, unit=world.outsider.memberships.first().unit)
    few = [
        UserFactory(first_name="Aino", last_name=f"Harva{i}", username=f"few{i}") for i in range(40)
    ]
    for user in few:
        MembershipFactory(user=user, unit=world.unit)
    actors = [*staff, world.worker, world.colleague, stranger, *([None] * 6)]
    other_tenant_id = world.outsider.memberships.first().tenant_id
    subjects = [world.child.pk, world.guardian.pk]
    events, links = [], []
    for n in range(700):
        user = rng.choice(few if rng.random() < 0.05 else actors)
        event = AuditEvent(
            occurred_at=START + timedelta(minutes=7 * n + rng.randrange(5)),
            tenant_id=tenant_id if rng.random() < 0.9 else other_tenant_id,
            actor=user,
            actor_label=(user.get_full_name() if user else rng.choice(LABELS)),
            role="worker" if user else "guardian",
            action=rng.choice(ACTIONS),
            basis="relationship",
            is_disclosure=rng.random() < 0.2,
        )
        events.append(event)
        if rng.random() < 0.3:
            subject = rng.choice(subjects)
            links.append(
                AuditSubject(
                    event=event,
                    subject_type="child",
                    subject_id=subject,
                    occurred_at=event.occurred_at,
                )
            )
    AuditEvent.objects.bulk_create(events)
    AuditSubject.objects.bulk_create(links)
    staff[0].first_name = "Aina"  # renamed since: found under the new name only
    staff[0].save()
    return world


SEARCHES: list[dict[str, Any]] = [
    {"actor": "virtanen"},
    {"actor": "aino"},
    {"actor": "Aina Vir"},
    {"actor": "staff3"},
    {"actor": "Huoltaja"},
    {"actor": "Nobody Matches"},
    {"actor": "muualla"},
    {"actor": "Äijä Öh"},
    {"actor": "äijä"},
    {"actor": "ÖHMAN"},
    {"actor": "å"},
    {"actor": "Åsa "},
    {"actor": " Ålander"},
    {"actor": "a Ö"},
    {"actor": "tietohall"},
    {"actor": "a"},
    {"actor": "aino", "action": "people.child"},
    {"actor": "virtanen", "disclosures_only": True},
    {"actor": "a", "subject": True},
    {"actor": "aino", "since": START + timedelta(days=1), "until": START + timedelta(days=3)},
    {"actor": "harva"},
    {"actor": "harva1"},
    {"actor": "Harva39"},
    {"actor": "harva", "action": "people.child.list", "disclosures_only": True},
    {"actor": "harva", "subject": True, "until": START + timedelta(days=2)},
    {"actor": "few", "since": START + timedelta(days=2)},
    {"actor": "staff", "action": "discussions", "subject": True},
    {"actor": "a_%"},
    {"actor": "", "action": "discussions"},
    {},
]


NAME_TEXTS = [str(s["actor"]) for s in SEARCHES if s.get("actor")] + [
    " ",
    "Ä",
    "ä",
    "Virtanen Aino",
]


@pytest.mark.django_db
def test_the_staff_matching_a_name_are_the_old_implementations(log):
    # Every user, not only those with events in the log: other tenants' staff, past members.
    UserFactory(first_name="Åke", last_name="", username="ei_jasen")  # in no tenant
    tenant_id = log.tenant.pk
    for text in NAME_TEXTS:
        new = set(selectors.actor_ids_matching(tenant_id=tenant_id, text=text))
        old = set(_old_actor_ids_matching(tenant_id=tenant_id, text=text))
        assert new == old, text

    def found(text: str) -> set[str]:
        ids = selectors.actor_ids_matching(tenant_id=tenant_id, text=text)
        return set(User.objects.filter(pk__in=ids).values_list("username", flat=True))

    assert found("tietohall") == {"tietohallinto"}
    assert found("Äijä Öh") == {"staff6"}
    assert found("Åsa ") == {"staff7"}
    assert found(" Ålander") == {"staff8"}
    past_member = User.objects.get(username="staff1")
    assert past_member.pk in set(selectors.actor_ids_matching(tenant_id=tenant_id, text="nieminen"))
    assert not selectors.actor_ids_matching(tenant_id=tenant_id, text="Muualla").exists()
    assert not selectors.actor_ids_matching(tenant_id=tenant_id, text="Åke").exists()


def _pages(search: dict, tenant_id) -> int:
    """Compare every page, as "Older events" goes through them; the number of pages."""
    kwargs = dict(search)
    before = None
    pages = 0
    while True:
        new = selectors.events_search(tenant_id=tenant_id, before=before, **kwargs)
        old = _old_events_search(tenant_id=tenant_id, before=before, **kwargs)
        assert [e.pk for e in new] == [e.pk for e in old], (search, before)
        pages += 1
        if len(new) < selectors.PAGE_SIZE:
            return pages
        before = new[-1].occurred_at


on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="LATERAL")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pages_per_user, scanned, page_size",
    [
        (False, 10_000, 20),
        (False, 40, 20),
        pytest.param(True, 10_000, 20, marks=on_postgresql),
        pytest.param(True, 7, 20, marks=on_postgresql),
        pytest.param(True, 10_000, 3, marks=on_postgresql),
    ],
)
def test_search_gives_the_old_implementations_events(
    log, monkeypatch, pages_per_user, scanned, page_size
):
    # Each matching user's newest page on its own (PostgreSQL) or one subquery of the matching
    # users (SQLite; it runs on PostgreSQL too): the same events.
    monkeypatch.setattr(selectors, "_pages_per_user", lambda *a, **k: pages_per_user)
    monkeypatch.setattr(selectors, "LABEL_SCAN_LIMIT", scanned)
    monkeypatch.setattr(selectors, "PAGE_SIZE", page_size)
    for search in [dict(s) for s in SEARCHES]:
        if search.pop("subject", None):
            search["subject_id"] = log.child.pk
        pages = _pages(search, log.tenant.pk)
        if scanned > 700 and search.get("actor") in ("virtanen", "aino", "a", "Huoltaja"):
            assert pages > 1  # the generated log is big enough to page through
