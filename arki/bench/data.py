"""Synthetic county-scale data for the benchmark, written with bulk inserts."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from arki.bench import personas

BATCH = 5000


@dataclass(frozen=True)
class Size:
    children: int = 30_000
    discussions: int = 60_000
    staff: int = 2_000
    audit_events: int = 1_000_000

    def scaled(self, factor: float) -> Size:
        return Size(
            *(
                max(int(v * factor), 20)
                for v in (self.children, self.discussions, self.staff, self.audit_events)
            )
        )


def _bulk(model, rows) -> None:
    for i in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[i : i + BATCH], batch_size=BATCH)


def generate(size: Size, *, seed: int = 7) -> dict[str, str]:
    """Create the data set; returns the ids the measurements use."""
    from arki.accounts.models import Membership, Qualification, Role, User
    from arki.audit.models import AuditEvent, AuditSubject
    from arki.discussions.models import (
        Discussion,
        DiscussionSession,
        LogbookTemplate,
    )
    from arki.organisations.models import Area, Sector, Setting, Tenant, Unit
    from arki.people.models import Child, ChildRelationship, Enrolment, Guardian, Guardianship

    rng = random.Random(seed)
    today = timezone.localdate()
    from django.core.management import call_command

    call_command("load_logbooks", verbosity=0)
    template = LogbookTemplate.objects.get(code="arki-ecec", language="fi")
    with transaction.atomic():
        tenant = Tenant.objects.create(name="Bench county", slug="bench", country="FI")
        areas = [Area.objects.create(tenant=tenant, name=f"Area {i}") for i in range(10)]
        units = [
            Unit(
                tenant=tenant,
                area=areas[i % 10],
                name=f"Unit {i}",
                sector=Sector.ECEC,
                setting=Setting.ECEC,
            )
            for i in range(max(size.staff // 20, 5))
        ]
        _bulk(Unit, units)
        password = make_password("bench-password-2026")
        users = [
            User(
                username=f"staff{i}",
                email=f"staff{i}@bench.fi",
                first_name="Staff",
                last_name=str(i),
                password=password,
            )
            for i in range(size.staff)
        ]
        _bulk(User, users)
        _bulk(
            Membership,
            [
                Membership(user=u, tenant=tenant, unit=units[i % len(units)], role=Role.WORKER)
                for i, u in enumerate(users)
            ],
        )
        _bulk(
            Qualification,
            [
                Qualification(user=u, kind="discussion", completed_on=date(2024, 1, 1))
                for u in users
            ],
        )
        coordinator = User.objects.create(
            username="bench-coordinator",
            email="c@bench.fi",
            first_name="Bench",
            last_name="Coordinator",
            password=password,
        )
        Membership.objects.create(
            user=coordinator, tenant=tenant, unit=units[0], role=Role.COORDINATOR
        )

        children = []
        for i in range(size.children):
            children.append(
                Child(
                    tenant=tenant,
                    first_name=f"Lapsi{i}",
                    last_name="Testi",
                    birth_date=today - timedelta(days=rng.randint(400, 2200)),
                )
            )
        _bulk(Child, children)
        guardians = [
            Guardian(tenant=tenant, first_name="Huoltaja", last_name=str(i), email=f"g{i}@bench.fi")
            for i in range(size.children)
        ]
        _bulk(Guardian, guardians)
        _bulk(
            Guardianship,
            [Guardianship(child=c, guardian=g) for c, g in zip(children, guardians, strict=True)],
        )
        _bulk(
            Enrolment,
            [Enrolment(child=c, unit=units[i % len(units)]) for i, c in enumerate(children)],
        )
        # Each child's responsible worker is a staff member of the child's unit.
        per_unit: dict = {u.pk: [] for u in units}
        for i, user in enumerate(users):
            per_unit[units[i % len(units)].pk].append(user)
        lead_of = [
            per_unit[units[i % len(units)].pk][i % len(per_unit[units[i % len(units)].pk])]
            for i in range(len(children))
        ]
        _bulk(
            ChildRelationship,
            [
                ChildRelationship(child=c, user=lead_of[i], kind="responsible")
                for i, c in enumerate(children)
            ],
        )
        discussions_rows = []
        for i in range(size.discussions):
            ci = i % len(children)
            status = ["offered", "declined", "accepted", "closed"][i % 4]
            discussions_rows.append(
                Discussion(
                    tenant=tenant,
                    child=children[ci],
                    unit=units[ci % len(units)],
                    lead=lead_of[ci],
                    template=template,
                    status=status,
                    offered_on=today - timedelta(days=rng.randint(1, 700)),
                    outcome="plan_made" if status == "closed" else "",
                )
            )
        _bulk(Discussion, discussions_rows)
        _bulk(
            DiscussionSession,
            [
                DiscussionSession(discussion=d, number=1, held_on=d.offered_on)
                for d in discussions_rows
                if d.status in ("accepted", "closed")
            ],
        )
        _bulk(
            ChildRelationship,
            [
                ChildRelationship(
                    child=d.child, user=d.lead, kind="discussion_lead", source_id=d.pk
                )
                for d in discussions_rows
            ],
        )

    # The measured people: an ECEC teacher, a school nurse, a social worker (personas.py).
    with transaction.atomic():
        measured = personas.create(tenant=tenant, units=units, template=template)

    # The audit log: a million events about the county's children.
    actors = users[:200]
    now = timezone.now()
    events, subjects = [], []
    for i in range(size.audit_events):
        child = children[i % len(children)]
        at = now - timedelta(seconds=i * 37)
        event = AuditEvent(
            id=uuid.uuid4(),
            occurred_at=at,
            tenant_id=tenant.pk,
            actor=actors[i % len(actors)],
            actor_label=f"Staff {i % 200}",
            role="worker",
            action="people.child.viewed",
            basis="relationship:responsible",
            object_type="people.child",
            object_id=child.pk,
        )
        events.append(event)
        subjects.append(
            AuditSubject(event=event, subject_type="child", subject_id=child.pk, occurred_at=at)
        )
        if len(events) >= BATCH:
            AuditEvent.objects.bulk_create(events, batch_size=BATCH)
            AuditSubject.objects.bulk_create(subjects, batch_size=BATCH)
            events, subjects = [], []
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    AuditSubject.objects.bulk_create(subjects, batch_size=BATCH)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics for the query planner
        cursor.execute("ANALYZE")
    return {
        **measured,
        "coordinator": str(coordinator.pk),
        "small_worker": str(lead_of[len(children) - 1].pk),
    }
