"""Reads of network meetings and of what consent allows."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Model, QuerySet, Value, When
from django.db.models.functions import Coalesce

from arki.accounts.models import User
from arki.people.models import Child
from arki.people.selectors import my_children_and_cases

from .invitations import hash_token
from .models import (
    OPEN_STATUSES,
    AnswerLink,
    Consent,
    MeetingReport,
    MeetingStatus,
    NetworkMeeting,
    PhaseNote,
    Proposal,
)


def consented_scopes(user: User, child: Child) -> set[str]:
    """The scopes the family has consented to for this staff user and child, now."""
    return set(
        Consent.objects.active()
        .filter(
            invitee__user=user,
            invitee__meeting__child=child,
            invitee__meeting__status__in=OPEN_STATUSES,
            invitee__approval="approved",
        )
        .values_list("scope", flat=True)
    )


def has_consent(user: User, child: Child, scope: str) -> bool:
    return scope in consented_scopes(user, child)


def meetings_for_child(child: Child) -> list[NetworkMeeting]:
    """The child's network meetings, newest first, with their chairs: one query."""
    return list(
        NetworkMeeting.objects.filter(child=child).select_related("chair").order_by("-created_at")
    )


def meeting_for_child(child: Child, meeting_id: Any) -> NetworkMeeting | None:
    return (
        NetworkMeeting.objects.filter(child=child, pk=meeting_id)
        .select_related("chair", "discussion")
        .first()
    )


def answer_link_for_token(token: str) -> AnswerLink | None:
    """The answer link with this token (by its hash), or None (never a hint that it nearly
    matched). Expired and replaced links are returned too: the page says so."""
    if not token or len(token) > 64:
        return None

    return (
        AnswerLink.objects.filter(token_hash=hash_token(token))
        .select_related("invitee__meeting__child", "invitee__meeting__chair", "invitee__guardian")
        .prefetch_related("invitee__consents")
        .first()
    )


def open_meetings_for(user: User, *, limit: int = 20) -> list[NetworkMeeting]:
    """The open network meetings (planning, scheduled, held) of the children the user works
    on as a case (chair, responsible worker, the discussion's worker): the next ones first,
    then those still being planned, then those held and not yet closed.

    Read for the home panel, cheaply (each join or subquery costs ~0.2–1 ms of query
    building): the children are the request's ``my_children_and_cases`` (the rule of
    ``Child.visible_to`` and a casework relationship), so this is one query by child id; only
    the fields the panel shows are read; the chairs' names only for meetings someone else
    chairs (the panel says "you" for the user's own), in one more query."""

    mine = my_children_and_cases(user)
    if not mine.case_ids:
        return []
    # The next ones first, then those being planned, then those held (in SQL, so that the
    # first ``limit`` are the right ones however many there are).
    first = Case(
        When(status=MeetingStatus.SCHEDULED, then=Value(0)),
        When(status=MeetingStatus.PLANNING, then=Value(1)),
        default=Value(2),
    )
    meetings = list(
        NetworkMeeting.objects.filter(status__in=OPEN_STATUSES, child_id__in=mine.case_ids)
        .only("id", "child_id", "previous_id", "chair_id", "status", "starts_at", "created_at")
        .order_by(first, Coalesce("starts_at", "created_at"), "pk")[:limit]
    )
    if not meetings:
        return meetings
    children = {child.pk: child for child in mine.children}
    others = {m.chair_id for m in meetings} - {user.pk}
    chairs: dict[Any, User] = {}
    if others:
        names = User.objects.filter(pk__in=others).only("id", "first_name", "last_name")
        chairs = {chair.pk: chair for chair in names}
    for meeting in meetings:
        meeting.child = children[meeting.child_id]
        if meeting.chair_id in chairs:
            meeting.chair = chairs[meeting.chair_id]
    return meetings


def _one[M: Model](queryset: QuerySet[M], pk: Any) -> M | None:
    """The row ``pk`` of ``queryset``, or None (also for something that is not an id)."""
    try:
        return queryset.filter(pk=pk).first()
    except (ValidationError, ValueError):
        return None


def consent_of_meeting(meeting: NetworkMeeting, pk: Any) -> Consent | None:
    """A consent given by one of the meeting's invitees."""
    return _one(Consent.objects.filter(invitee__meeting=meeting), pk)


def proposal_of_meeting(meeting: NetworkMeeting, pk: Any) -> Proposal | None:
    return _one(Proposal.objects.filter(meeting=meeting), pk)


def report_of_meeting(meeting: NetworkMeeting, pk: Any) -> MeetingReport | None:
    return _one(MeetingReport.objects.filter(meeting=meeting), pk)


def phase_note(meeting: NetworkMeeting, phase: str) -> PhaseNote | None:
    """The meeting's note of one agenda phase, as saved now."""
    return PhaseNote.objects.filter(meeting=meeting, phase=phase).first()
