"""The people `make bench` measures, with real caseloads, in the generated county.

- the ECEC teacher: a group of 25 children, each with an accepted discussion full of content;
- the school nurse: 600 pupils of a school, a third of them with a discussion in some state;
- the social worker: 40 families, each child with a network meeting the worker chairs, eight
  in each state (planning, scheduled, held, closed, cancelled);
- the coordinator: the county's audit log and indicator dashboard.

Each persona's pages (``pages``) are measured under load, and their queries are counted before
and after the persona's caseload grows (``grow``): the bench fails when a count grows.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

TEACHER_CHILDREN = 25
NURSE_PUPILS = 600
SOCIAL_FAMILIES = 40
PERSONAS = ("teacher", "nurse", "social_worker", "coordinator")


def _staff(username: str, first: str, last: str, *, tenant: Any, unit: Any, role: str) -> Any:
    from arki.accounts.models import Membership, Qualification, User

    user = User.objects.create_user(
        username=username,
        email=f"{username}@bench.fi",
        first_name=first,
        last_name=last,
        password=None,  # the bench signs in with a session made for it
    )
    Membership.objects.create(user=user, tenant=tenant, unit=unit, role=role)
    for kind in ("discussion", "network_meeting"):
        Qualification.objects.create(user=user, kind=kind, completed_on=date(2024, 1, 1))
    user.current_membership = user.memberships.first()
    return user


def _children(tenant: Any, unit: Any, worker: Any, n: int, name: str) -> list[Any]:
    """``n`` children enrolled in ``unit``, each with a guardian, ``worker`` responsible."""
    from arki.people.models import (
        Child,
        ChildRelationship,
        Enrolment,
        Guardian,
        Guardianship,
    )

    today = timezone.localdate()
    children = Child.objects.bulk_create(
        [
            Child(
                tenant=tenant,
                first_name=f"{name}{i:03d}",
                last_name="Bench",
                birth_date=today - timedelta(days=400 + 11 * i),
            )
            for i in range(n)
        ]
    )
    guardians = Guardian.objects.bulk_create(
        [Guardian(tenant=tenant, first_name="Huoltaja", last_name=f"{name}{i}") for i in range(n)]
    )
    Guardianship.objects.bulk_create(
        [Guardianship(child=c, guardian=g) for c, g in zip(children, guardians, strict=True)]
    )
    Enrolment.objects.bulk_create([Enrolment(child=c, unit=unit) for c in children])
    ChildRelationship.objects.bulk_create(
        [ChildRelationship(child=c, user=worker, kind="responsible") for c in children]
    )
    return children


def _full_discussion(worker: Any, child: Any, unit: Any, template: Any) -> Any:
    from arki.discussions import services as discussions
    from arki.discussions.models import ActionItem, Observation

    today = timezone.localdate()
    d = discussions.discussion_offer(
        actor=worker,
        child=child,
        unit=unit,
        template=template,
        offered_on=today,
        alongside_open=True,
    )
    discussions.discussion_accept(actor=worker, discussion=d, responded_on=today)
    discussions.session_add(actor=worker, discussion=d, held_on=today)
    sections = list(template.sections.all())
    obs = Observation.objects.bulk_create(
        [
            Observation(discussion=d, section=s, kind=k, text=f"{k} {s.key}", order=n)
            for n, (s, k) in enumerate(
                (s, k) for s in sections for k in ("strength", "vulnerability")
            )
        ]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(discussion=d, what=f"Toimenpide {n}", owner_kind="parent", serves=obs[n])
            for n in range(5)
        ]
    )
    return d


def _meetings(worker: Any, children: list[Any]) -> list[Any]:
    """A network meeting chaired by ``worker`` for each child, in every state in turn."""
    from arki.meetings import services as meetings
    from arki.meetings.models import MeetingStatus, NetworkMeeting

    states = list(MeetingStatus.values)
    now = timezone.now()
    made = []
    for i, child in enumerate(children):
        meeting = meetings.meeting_plan(
            actor=worker, child=child, reason="Perheen tilanne", topics="Arki ja koulu"
        )
        status = states[i % len(states)]
        fields: dict[str, Any] = {"status": status}
        if status != MeetingStatus.PLANNING:
            fields["starts_at"] = now + timedelta(days=i - 20, hours=1)
            fields["ends_at"] = now + timedelta(days=i - 20, hours=2)
        if status in (MeetingStatus.HELD, MeetingStatus.CLOSED):
            fields["held_at"] = fields["starts_at"]
        NetworkMeeting.objects.filter(pk=meeting.pk).update(**fields)
        made.append(meeting)
    return made


def create(*, tenant: Any, units: list[Any], template: Any) -> dict[str, str]:
    """The four personas and their caseloads; the ids the measurements use."""
    from arki.accounts.models import Role
    from arki.discussions.models import Discussion
    from arki.organisations.models import Sector, Setting, Unit

    today = timezone.localdate()
    teacher = _staff("bench-worker", "Bench", "Worker", tenant=tenant, unit=units[0], role="worker")
    group = _children(tenant, units[0], teacher, TEACHER_CHILDREN, "Lapsi")
    own = [_full_discussion(teacher, child, units[0], template) for child in group]

    school = Unit.objects.create(
        tenant=tenant,
        area=units[0].area,
        name="Bench school",
        sector=Sector.SCHOOL,
        setting=Setting.SCHOOL_1_6,
    )
    nurse = _staff("bench-nurse", "Bench", "Nurse", tenant=tenant, unit=school, role=Role.WORKER)
    pupils = _children(tenant, school, nurse, NURSE_PUPILS, "Oppilas")
    states = ["offered", "accepted", "declined", "closed"]
    Discussion.objects.bulk_create(
        [
            Discussion(
                tenant=tenant,
                child=child,
                unit=school,
                lead=nurse,
                template=template,
                status=states[i % 4],
                offered_on=today - timedelta(days=i % 300),
                outcome="plan_made" if states[i % 4] == "closed" else "",
            )
            for i, child in enumerate(pupils[::3])
        ]
    )
    nurse_discussion = _full_discussion(nurse, pupils[1], school, template)

    social = Unit.objects.create(
        tenant=tenant,
        area=units[0].area,
        name="Bench family social work",
        sector=Sector.SOCIAL,
        setting=Setting.SERVICES,
    )
    social_worker = _staff(
        "bench-social", "Bench", "Social", tenant=tenant, unit=social, role=Role.WORKER
    )
    families = _children(tenant, social, social_worker, SOCIAL_FAMILIES, "Perhe")
    meetings = _meetings(social_worker, families)
    return {
        "worker": str(teacher.pk),
        "child": str(own[0].child_id),
        "discussion": str(own[0].pk),
        "nurse": str(nurse.pk),
        "nurse_child": str(pupils[1].pk),
        "nurse_discussion": str(nurse_discussion.pk),
        "social_worker": str(social_worker.pk),
        "social_child": str(meetings[2].child_id),  # a held meeting: the fullest page
        "meeting": str(meetings[2].pk),
    }


def pages(ids: dict[str, str]) -> dict[str, tuple[str, str]]:
    """page name -> (persona, path): every page of every persona."""
    child, discussion = ids["child"], ids["discussion"]
    pupil, social_child = ids["nurse_child"], ids["social_child"]
    return {
        "trivial view (/health/)": ("worker", "/health/"),
        "teacher: home": ("worker", "/"),
        "teacher: child list": ("worker", "/children/"),
        "teacher: child page": ("worker", f"/children/{child}/"),
        "teacher: discussion page": ("worker", f"/discussions/children/{child}/{discussion}/"),
        "nurse: home": ("nurse", "/"),
        "nurse: child list": ("nurse", "/children/"),
        "nurse: child list, last page": ("nurse", "/children/?page=12"),
        "nurse: child list, by state": ("nurse", "/children/?state=offered"),
        "nurse: child list, by name": ("nurse", "/children/?q=Oppilas05"),
        "nurse: child page": ("nurse", f"/children/{pupil}/"),
        "nurse: discussion page": (
            "nurse",
            f"/discussions/children/{pupil}/{ids['nurse_discussion']}/",
        ),
        "social worker: home": ("social_worker", "/"),
        "social worker: child list": ("social_worker", "/children/"),
        "social worker: child page": ("social_worker", f"/children/{social_child}/"),
        "social worker: meeting page": (
            "social_worker",
            f"/meetings/children/{social_child}/{ids['meeting']}/",
        ),
        "coordinator: home": ("coordinator", "/"),
        "coordinator: audit search": ("coordinator", "/audit/?actor=Staff+1"),
        "coordinator: audit search, no match": ("coordinator", "/audit/?actor=Nobody+Matches"),
        "coordinator: audit search, by child": ("coordinator", f"/audit/?subject={pupil}"),
        "coordinator: audit search, by action": (
            "coordinator",
            "/audit/?action=people.child.list_viewed",
        ),
        "coordinator: indicator dashboard": ("coordinator", "/indicators/"),
    }


def grow(users: dict[str, Any]) -> None:
    """Ten more children for each persona with a caseload (a discussion each; for the social
    worker a meeting each): what the query counts are compared after."""
    from arki.discussions import services as discussions
    from arki.discussions.models import LogbookTemplate

    template = LogbookTemplate.objects.get(code="arki-ecec", language="fi")
    today = timezone.localdate()
    for key in ("worker", "nurse", "social_worker"):
        worker = users[key]
        worker.current_membership = worker.memberships.first()
        unit = worker.current_membership.unit
        extra = _children(unit.tenant, unit, worker, 10, f"Lisä{key}")
        for child in extra:
            d = discussions.discussion_offer(
                actor=worker,
                child=child,
                unit=unit,
                template=template,
                offered_on=today,
                alongside_open=True,
            )
            discussions.discussion_accept(actor=worker, discussion=d, responded_on=today)
            discussions.action_add(actor=worker, discussion=d, what="x", owner_kind="parent")
        if key == "social_worker":
            _meetings(worker, extra)
