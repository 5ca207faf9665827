"""Reads of network meetings and of what consent allows."""

from __future__ import annotations

from typing import Any

from arki.core.probe import rows_exist

from .models import Consent, Invitee, MeetingStatus, NetworkMeeting

OPEN_STATUSES = (MeetingStatus.PLANNING, MeetingStatus.SCHEDULED, MeetingStatus.HELD)


def consented_scopes(user: Any, child: Any) -> set[str]:
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


def has_consent(user: Any, child: Any, scope: str) -> bool:
    return scope in consented_scopes(user, child)


def meetings_for_child(child: Any) -> list[NetworkMeeting]:
    """The child's network meetings, newest first. Most children have none: a plain SQL probe
    (a few hundredths of a millisecond) spares the ORM query then."""
    (any_meeting,) = rows_exist((NetworkMeeting, {"child": child.pk}))
    if not any_meeting:
        return []
    return list(
        NetworkMeeting.objects.filter(child=child).select_related("chair").order_by("-created_at")
    )


def meeting_for_child(child: Any, meeting_id: Any) -> NetworkMeeting | None:
    return (
        NetworkMeeting.objects.filter(child=child, pk=meeting_id)
        .select_related("chair", "discussion")
        .first()
    )


def invitee_for_token(token: str) -> Invitee | None:
    """The invitee whose answer link this is, or None (never a hint that it nearly matched)."""
    if not token or len(token) > 64:
        return None
    return (
        Invitee.objects.filter(response_token=token)
        .select_related("meeting__child", "meeting__chair", "guardian")
        .prefetch_related("consents")
        .first()
    )


def open_meetings_for(user: Any, *, limit: int = 20) -> list[NetworkMeeting]:
    """The open network meetings (planning, scheduled, held) of the children the user works
    on as a case (chair, responsible worker, the discussion's worker): the next ones first,
    then those still being planned, then those held and not yet closed."""
    from arki.accounts.access import FULL_CASE_KINDS
    from arki.people.models import Child, ChildRelationship

    cases = ChildRelationship.objects.active().filter(user=user, kind__in=FULL_CASE_KINDS)
    meetings = list(
        NetworkMeeting.objects.filter(
            status__in=OPEN_STATUSES,
            child__in=Child.objects.visible_to(user).filter(pk__in=cases.values("child_id")),
        ).select_related("child", "chair")[: limit * 2]
    )
    order = {MeetingStatus.SCHEDULED: 0, MeetingStatus.PLANNING: 1, MeetingStatus.HELD: 2}
    meetings.sort(key=lambda m: (order[MeetingStatus(m.status)], m.starts_at or m.created_at, m.pk))
    return meetings[:limit]
