"""Reads for the portal and for the worker's portal panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import User
from arki.audit.labels import basis_label
from arki.audit.models import AuditEvent
from arki.audit.registry import label_for
from arki.discussions.models import Discussion, DiscussionStatus, WorkingNote
from arki.feedback.services import LINK_VALID_DAYS
from arki.meetings.models import (
    Approval,
    ConsentScope,
    MeetingStatus,
    NetworkMeeting,
    ProposalStatus,
)
from arki.meetings.services import may_uninvite, withdrawn_by_refusal
from arki.people.models import Child
from arki.people.selectors import my_children_and_cases, responsible_workers

from .consent_texts import consent_text
from .models import FeedbackInvitation, PortalLink, PortalSession, Preparation
from .services import target_is_open

LOG_PAGE_SIZE = 50


@dataclass(frozen=True)
class LogRow:
    event: AuditEvent

    @property
    def what(self) -> str:
        return label_for(self.event.action)

    @property
    def role(self) -> str:
        role = self.event.role
        if not role:
            return str(_("system")) if self.event.actor_id is None else ""
        return self.event.role_display

    @property
    def why(self) -> str:
        return basis_label(self.event.basis)


def access_log(child: Child, *, before: datetime | None = None) -> list[LogRow]:
    """Every audit event about the child, newest first: the "who has seen our data" page.

    Exactly the audit rows with the child as a data subject, nothing filtered out.
    """
    qs = AuditEvent.objects.filter(subjects__subject_id=child.pk)
    if before is not None:
        qs = qs.filter(occurred_at__lt=before)
    return [LogRow(e) for e in qs.order_by("-occurred_at", "-id")[:LOG_PAGE_SIZE]]


def links_for_child(child: Child, *, limit: int = 20) -> list[PortalLink]:
    # Through the child's related manager: each link knows its child (a link for the child
    # itself shows the child's name) without a query per link.
    return list(
        child.portal_links.select_related("guardian", "created_by").order_by("-created_at")[:limit]
    )


def active_sessions_for_child(child: Child) -> list[PortalSession]:
    return list(
        child.portal_sessions.active().select_related("guardian", "link").order_by("-started_at")
    )


def panel_context(child: Child) -> dict[str, Any]:
    """The worker's portal panel: links sent, sessions going on, the family's preparations.

    Most children have none of the three: one query of three ``EXISTS`` tells which lists
    have rows, and only those are read."""
    found = Child.objects.filter(pk=child.pk).values_list(
        Exists(PortalLink.objects.filter(child_id=child.pk)),
        Exists(PortalSession.objects.active().filter(child_id=child.pk)),
        Exists(Preparation.objects.filter(child_id=child.pk)),
    )
    has_links, has_sessions, has_preparations = found.first() or (False, False, False)
    return {
        "links": links_for_child(child) if has_links else [],
        "sessions": active_sessions_for_child(child) if has_sessions else [],
        "preparations": preparations_for_child(child) if has_preparations else [],
    }


def own_preparation(
    child: Child, guardian: Any, *, discussion: Any = None, meeting: Any = None
) -> Preparation | None:
    """The visitor's own preparation (a guardian's, or the child's when ``guardian`` is None)
    for one discussion, for one network meeting, or the general one."""
    return (
        Preparation.objects.filter(
            child=child, guardian=guardian, discussion=discussion, meeting=meeting
        )
        .filter(respondent="child" if guardian is None else "guardian")
        .first()
    )


def preparations_for_child(child: Child) -> list[Preparation]:
    """Every family member's preparation for the worker, newest first."""
    return list(
        child.preparations.select_related("guardian", "discussion", "meeting").order_by(
            "-submitted_at"
        )
    )


def preparations_for_meeting(meeting: NetworkMeeting) -> list[Preparation]:
    """The family's preparation answers for one network meeting (the guardians' first, then
    the child's own), for the meeting's page."""
    return list(
        Preparation.objects.filter(meeting=meeting, child_id=meeting.child_id)
        .select_related("guardian")
        .order_by("respondent", "submitted_at")
    )


@dataclass(frozen=True)
class Contact:
    name: str
    title: str
    unit: str
    phone: str
    email: str


def contact_workers(child: Child) -> list[Contact]:
    """The child's responsible workers: whom the family can contact."""

    return [
        Contact(
            name=user.get_full_name(),
            title=user.title,
            unit=unit,
            phone=user.phone,
            email=user.email,
        )
        for user, unit in responsible_workers(child.pk, child.tenant_id)
    ]


@dataclass
class FamilyDiscussion:
    """One LT discussion as the family sees it."""

    discussion: Any
    is_open: bool
    may_prepare: bool
    preparation: Preparation | None
    summary: str = ""
    actions: list[Any] | None = None
    notes: list[tuple[str, str]] | None = None


def family_discussions(child: Child, guardian: Any) -> list[FamilyDiscussion]:
    """The child's LT discussions (not the declined ones). A guardian sees the agreed summary
    and action plan of closed ones and the family's own working notes while they exist; the
    child sees only what to prepare for."""

    discussions = list(
        Discussion.objects.filter(child=child)
        .exclude(status=DiscussionStatus.DECLINED)
        .select_related("lead", "unit")
        .prefetch_related("action_items__owner_worker")
        .order_by("-offered_on")
    )
    notes: dict[Any, list[tuple[str, str]]] = {}
    if guardian is not None:
        for note in (
            WorkingNote.objects.filter(discussion__in=discussions, discussion__notes_purged_at=None)
            .exclude(text="")
            .select_related("section")
            .order_by("section__order")
        ):
            notes.setdefault(note.discussion_id, []).append((note.section.title, note.text))
    result = []
    for d in discussions:
        is_open = d.status in (DiscussionStatus.OFFERED, DiscussionStatus.ACCEPTED)
        closed = d.status == DiscussionStatus.CLOSED
        item = FamilyDiscussion(
            discussion=d,
            is_open=is_open,
            may_prepare=target_is_open(discussion=d),
            preparation=own_preparation(child, guardian, discussion=d),
        )
        if guardian is not None:
            item.summary = d.agreed_summary if closed else ""
            item.actions = list(d.action_items.all()) if closed else []
            item.notes = notes.get(d.pk, [])
        result.append(item)
    return result


def discussion_for_family(child: Child, discussion_id: Any) -> Any:
    """One of the child's discussions (not a declined one), or None."""

    return (
        Discussion.objects.filter(child=child, pk=discussion_id)
        .exclude(status=DiscussionStatus.DECLINED)
        .select_related("lead", "unit")
        .first()
    )


RECENT_PREPARATION_DAYS = 14


def recent_preparations_for_worker(user: User, *, limit: int = 20) -> list[Preparation]:
    """Preparations sent in the last two weeks about children the worker has a casework
    relationship with (a consent-based network member does not see them). The children are
    the request's ``my_children_and_cases`` (``Child.visible_to``'s rule and a casework
    relationship, shared with the home page's list), so this is one query by child id."""

    mine = my_children_and_cases(user)
    if not mine.case_ids:
        return []
    children = {child.pk: child for child in mine.children}
    since = timezone.now() - timedelta(days=RECENT_PREPARATION_DAYS)
    preparations = list(
        Preparation.objects.filter(child_id__in=mine.case_ids, submitted_at__gte=since)
        .only("id", "child_id", "meeting_id", "respondent", "submitted_at")
        .order_by("-submitted_at")[:limit]
    )
    for preparation in preparations:
        preparation.child = children[preparation.child_id]
    return preparations


@dataclass
class FamilyMeeting:
    meeting: Any
    invitees: list[dict[str, Any]]
    proposals: list[Any]
    may_prepare: bool = False
    preparation: Preparation | None = None
    # Whether the family can still take an invitation back (not after the meeting is held).
    may_uninvite: bool = True


def family_meetings(child: Child, guardian: Any = None) -> list[FamilyMeeting]:
    """The child's network meetings still being planned or held: who is invited, what each
    may see (consents), the proposals waiting for the family's answer, and the visitor's own
    preparation (a guardian's, or the child's when ``guardian`` is None)."""
    meetings = list(
        NetworkMeeting.objects.filter(
            child=child,
            status__in=[MeetingStatus.PLANNING, MeetingStatus.SCHEDULED, MeetingStatus.HELD],
        )
        .select_related("chair")
        .prefetch_related("invitees__consents", "proposals")
        .order_by("starts_at", "created_at")
    )
    preparations = {
        p.meeting_id: p
        for p in Preparation.objects.filter(
            child=child,
            guardian=guardian,
            respondent="child" if guardian is None else "guardian",
            meeting__in=meetings,
        )
    }
    result = []
    for meeting in meetings:
        invitees = []
        for invitee in meeting.invitees.all():
            active = {c.scope: c for c in invitee.consents.all() if c.withdrawn_at is None}
            scopes = [
                {
                    "value": value,
                    "label": label,
                    "text": consent_text(value, invitee.name),
                    "consent": active.get(value),
                }
                for value, label in ConsentScope.choices
            ]
            restorable = (
                [
                    {"value": c.scope, "text": consent_text(c.scope, invitee.name)}
                    for c in withdrawn_by_refusal(invitee)
                ]
                if invitee.approval == Approval.REFUSED
                else []
            )
            invitees.append({"invitee": invitee, "scopes": scopes, "restorable": restorable})
        proposals = [p for p in meeting.proposals.all() if p.status == ProposalStatus.PENDING]
        result.append(
            FamilyMeeting(
                meeting=meeting,
                invitees=invitees,
                proposals=proposals,
                may_prepare=target_is_open(meeting=meeting),
                preparation=preparations.get(meeting.pk),
                may_uninvite=may_uninvite(meeting),
            )
        )
    return result


def meeting_for_family(child: Child, meeting_id: Any) -> Any:
    """One of the child's network meetings, or None."""

    return NetworkMeeting.objects.filter(child=child, pk=meeting_id).select_related("chair").first()


def open_feedback_invitations(child: Child, guardian: Any) -> list[FeedbackInvitation]:
    """The guardian's feedback invitations for this child still within the link's lifetime
    (a child visitor has none: the invitations are the guardians')."""
    if guardian is None:
        return []
    since = timezone.now() - timedelta(days=LINK_VALID_DAYS)
    return list(
        FeedbackInvitation.objects.filter(child=child, guardian=guardian, created_at__gte=since)
    )
