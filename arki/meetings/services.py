"""Writes of network meetings. Nobody is invited, and nothing is shared, without the family."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import QualificationKind, User
from arki.audit import services as audit
from arki.core.concurrency import save_versioned
from arki.core.exceptions import (
    ConflictError,
    DomainError,
    InvalidTransitionError,
    NotQualifiedError,
)
from arki.core.registry import occasion_ended
from arki.methods.selectors import method_may_be_chosen
from arki.notifications.services import cancel_scheduled
from arki.people.models import Child, ChildRelationship, Guardian, RelationshipKind
from arki.people.services import relationship_end, relationship_start, responsible_worker_assign

from . import invitations
from .models import (
    CONSENT_TEXT_VERSION,
    SCHEDULABLE,
    Approval,
    Consent,
    ConsentScope,
    Invitee,
    InviteeKind,
    MeetingAction,
    MeetingStatus,
    NetworkMeeting,
    Phase,
    PhaseNote,
    Proposal,
    ProposalStatus,
    Response,
)

OPEN = (MeetingStatus.PLANNING, MeetingStatus.SCHEDULED, MeetingStatus.HELD)


def _basis(actor: Any) -> str:
    if isinstance(actor, Guardian):
        return "guardian"
    if _is_child_actor(actor):
        return "own_data"
    return "relationship:network_chair"


def _record(actor: Any, code: str, meeting: NetworkMeeting, **kwargs: Any) -> None:
    audit.record(
        actor,
        code,
        subjects=[meeting.child],
        obj=meeting,
        basis=_basis(actor),
        tenant_id=meeting.tenant_id,
        **kwargs,
    )


def child_consent_age() -> int:
    return int(getattr(settings, "ARKI_CHILD_CONSENT_MIN_AGE", 15))


def child_may_consent(child: Child) -> bool:
    """Whether the child is old enough to give (and withdraw) consent themselves."""
    months = child.age_in_months()
    return months is not None and months >= child_consent_age() * 12


def _require_consent_age(child: Child) -> None:
    if not child_may_consent(child):
        raise DomainError(
            _("A child can give consent themselves from the age of %(age)d.")
            % {"age": child_consent_age()}
        )


def _is_child_actor(actor: Any) -> bool:
    return getattr(actor, "audit_role", "") == "child" and hasattr(actor, "child")


def _require_consenter(actor: Any, meeting: NetworkMeeting) -> None:
    """Consent is the guardians' and, from the configured age, the child's own."""
    if _is_child_actor(actor):
        if actor.child.pk != meeting.child_id:
            raise DomainError(_("Only the child's guardian can decide this."))
        _require_consent_age(meeting.child)
        return
    _require_guardian_of(actor, meeting)


def _require_guardian_of(actor: Any, meeting: NetworkMeeting) -> None:
    """A guardian may act only for their own child; staff act through access helpers."""
    if (
        isinstance(actor, Guardian)
        and not meeting.child.guardianships.filter(guardian=actor).exists()
    ):
        raise DomainError(_("Only the child's guardian can decide this."))


@transaction.atomic
def meeting_plan(
    *,
    actor: Any,
    child: Child,
    reason: str,
    topics: str = "",
    discussion: Any = None,
    previous: NetworkMeeting | None = None,
) -> NetworkMeeting:
    if not actor.has_qualification(QualificationKind.NETWORK_MEETING):
        raise NotQualifiedError(_("Only a worker trained for network meetings can chair one."))
    if discussion is not None and discussion.child_id != child.pk:
        raise DomainError(_("That discussion is about another child."))
    if not reason.strip():
        raise DomainError(_("Say why the meeting is needed."))
    if previous is not None and previous.child_id != child.pk:
        raise DomainError(_("That meeting is about another child."))
    meeting = NetworkMeeting.objects.create(
        tenant_id=child.tenant_id,
        child=child,
        discussion=discussion,
        previous=previous,
        chair=actor,
        reason=reason.strip(),
        topics=topics.strip(),
    )
    relationship_start(
        child=child, user=actor, kind=RelationshipKind.NETWORK_CHAIR, source_id=meeting.pk
    )
    # The guardians take part by default; they approve everyone else.
    for guardianship in child.guardianships.select_related("guardian"):
        g = guardianship.guardian
        Invitee.objects.create(
            meeting=meeting,
            kind=InviteeKind.GUARDIAN,
            guardian=g,
            name=str(g),
            email=g.email,
            language=g.preferred_language,
            role_label=str(_("guardian")),
            approval=Approval.APPROVED,
            approved_at=timezone.now(),
            approval_channel="self",
        )
    if previous is not None:
        _carry_over_invitees(previous, meeting)
    _record(actor, "meetings.meeting.planned", meeting)
    return meeting


def _carry_over_invitees(previous: NetworkMeeting, meeting: NetworkMeeting) -> None:
    """A follow-up invites again whom the family approved last time; consent is per meeting
    invitee, so none is carried over: the family gives it again."""
    approved = previous.invitees.filter(approval=Approval.APPROVED).exclude(
        kind=InviteeKind.GUARDIAN
    )
    for old in approved:
        Invitee.objects.create(
            meeting=meeting,
            kind=old.kind,
            user=old.user,
            network_person=old.network_person,
            name=old.name,
            email=old.email,
            language=old.language,
            role_label=old.role_label,
            expected_contribution=old.expected_contribution,
            required=old.required,
            approval=Approval.APPROVED,
            approved_at=old.approved_at,
            approval_channel="previous_meeting",
        )


@transaction.atomic
def invitee_add(
    *,
    actor: Any,
    meeting: NetworkMeeting,
    kind: str,
    name: str = "",
    email: str = "",
    language: str = "fi",
    role_label: str = "",
    expected_contribution: str = "",
    user: Any = None,
    network_person: Any = None,
    required: bool = True,
) -> Invitee:
    if meeting.status not in OPEN:
        raise InvalidTransitionError()
    if kind == InviteeKind.PROFESSIONAL and user is not None:
        if not user.memberships.filter(tenant_id=meeting.tenant_id, is_active=True).exists():
            raise DomainError(_("That professional does not work in this county or region."))
        name = name or user.get_full_name()
        email = email or user.email
        language = user.preferred_language or language
    if kind == InviteeKind.NETWORK_PERSON and network_person is not None:
        if network_person.child_id != meeting.child_id:
            raise DomainError(_("That person is not in this child's network."))
        name, email = network_person.name, network_person.email
        language = network_person.preferred_language
        role_label = role_label or network_person.relation
    if not name.strip():
        raise DomainError(_("Give the invitee's name."))
    invitee = Invitee.objects.create(
        meeting=meeting,
        kind=kind,
        name=name.strip(),
        email=email,
        language=language,
        role_label=role_label,
        expected_contribution=expected_contribution,
        user=user,
        network_person=network_person,
        required=required,
    )
    _record(actor, "meetings.invitee.added", meeting, detail={"invitee": str(invitee.pk)})
    return invitee


# Why consents were withdrawn when the family refused an invitee (``withdrawn_by_refusal``).
REFUSAL_REASON = "invitee refused"


def may_uninvite(meeting: NetworkMeeting) -> bool:
    """Whether the family can still take an invitation back: only before the meeting is held
    (afterwards the invitee took part or not; their consents can still be withdrawn)."""
    return meeting.status in SCHEDULABLE


def withdrawn_by_refusal(invitee: Invitee) -> list[Consent]:
    """The consents that ended when the family refused ``invitee`` and were not given again:
    what restoring the invitee would leave off unless the family gives them back."""
    consents = sorted(invitee.consents.all(), key=lambda c: c.given_at)  # prefetched or read
    active = {c.scope for c in consents if c.withdrawn_at is None}
    latest = {c.scope: c for c in consents}
    return [
        c
        for scope, c in latest.items()
        if scope not in active and c.withdrawal_reason == REFUSAL_REASON
    ]


@transaction.atomic
def invitee_approve(
    *,
    actor: Any,
    invitee: Invitee,
    approved: bool,
    channel: str,
    restore_consents: Iterable[str] = (),
) -> Invitee:
    """The family approves or refuses an invitee (in the portal, or on paper via the worker).
    Refusing withdraws the invitee's consents; after the meeting is held it is not possible.
    Approving an invitee refused earlier gives back the consents named in ``restore_consents``
    (scopes the refusal withdrew); the others stay off, and the family is asked about them."""
    meeting = invitee.meeting
    _require_guardian_of(actor, meeting)
    if meeting.status not in OPEN:
        raise InvalidTransitionError()
    if not approved and not may_uninvite(meeting):
        raise DomainError(
            _(
                "The meeting has been held: an invitation can no longer be taken back. "
                "You can still withdraw the consents you gave."
            )
        )
    restorable = {c.scope: c for c in withdrawn_by_refusal(invitee)} if approved else {}
    unknown = set(restore_consents) - set(restorable)
    if unknown:
        raise DomainError(_("Only consents given earlier to this invitee can be given back."))
    invitee.approval = Approval.APPROVED if approved else Approval.REFUSED
    invitee.approved_at = timezone.now()
    invitee.approval_channel = channel
    invitee.save(update_fields=["approval", "approved_at", "approval_channel", "updated_at"])
    if not approved:
        for consent in invitee.consents.active():
            _withdraw(actor, consent, reason=REFUSAL_REASON)
        _uninvite(actor, invitee)
    _record(
        actor,
        "meetings.invitee.approved" if approved else "meetings.invitee.refused",
        meeting,
        detail={"invitee": str(invitee.pk), "channel": channel},
    )
    for scope in restore_consents:
        earlier = restorable[scope]
        consent_give(
            actor=actor,
            invitee=invitee,
            scope=scope,
            channel=channel,
            by_child=earlier.given_by_child and _is_child_actor(actor),
            guardian=earlier.given_by_guardian,
        )
    return invitee


@transaction.atomic
def consent_give(
    *,
    actor: Any,
    invitee: Invitee,
    scope: str,
    channel: str,
    text_version: str = CONSENT_TEXT_VERSION,
    by_child: bool = False,
    guardian: Guardian | None = None,
) -> Consent:
    meeting = invitee.meeting
    _require_consenter(actor, meeting)
    by_child = by_child or _is_child_actor(actor)
    if by_child:
        _require_consent_age(meeting.child)
    # Recorded by a worker: the guardian who gave it must be the child's.
    if (
        not by_child
        and not isinstance(actor, Guardian)
        and (guardian is None or not meeting.child.guardianships.filter(guardian=guardian).exists())
    ):
        raise DomainError(_("Choose who gave the consent."))
    if scope not in ConsentScope.values:
        raise DomainError(_("Unknown consent."))
    if invitee.approval != Approval.APPROVED:
        raise DomainError(_("The family has to approve the invitee before giving consent."))
    existing = invitee.consents.active().filter(scope=scope).first()
    if existing is not None:
        return existing
    giver = actor if isinstance(actor, Guardian) else (None if by_child else guardian)
    consent = Consent.objects.create(
        invitee=invitee,
        scope=scope,
        given_by_guardian=giver,
        given_by_child=by_child,
        text_version=text_version,
        channel=channel,
        given_at=timezone.now(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if invitee.user_id and meeting.status in OPEN:
        relationship_start(
            child=meeting.child,
            user=invitee.user,
            kind=RelationshipKind.NETWORK_MEMBER,
            source_id=consent.pk,
        )
    _record(
        actor,
        "meetings.consent.given",
        meeting,
        detail={
            "invitee": str(invitee.pk),
            "scope": scope,
            "channel": channel,
            "text_version": text_version,
            "by_child": by_child,
        },
    )
    return consent


def _withdraw(actor: Any, consent: Consent, *, reason: str) -> None:
    consent.withdrawn_at = timezone.now()
    consent.withdrawal_reason = reason
    consent.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
    if consent.invitee.user_id:
        relationship_end(
            child=consent.invitee.meeting.child,
            user=consent.invitee.user,
            kind=RelationshipKind.NETWORK_MEMBER,
            source_id=consent.pk,
        )


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent, reason: str = "") -> Consent:
    """Ends the access the consent gave at once; the consent row stays as history."""
    meeting = consent.invitee.meeting
    _require_consenter(actor, meeting)
    if consent.withdrawn_at is not None:
        return consent
    _withdraw(actor, consent, reason=reason)
    if consent.scope == ConsentScope.ATTEND and consent.invitee.kind not in FAMILY:
        _uninvite(actor, consent.invitee)
    _record(
        actor,
        "meetings.consent.withdrawn",
        meeting,
        detail={"invitee": str(consent.invitee_id), "scope": consent.scope},
    )
    return consent


@transaction.atomic
def proposal_add(
    *,
    actor: Any,
    meeting: NetworkMeeting,
    text: str,
    proposed_by: str = "",
    owner: str = "",
    due_on: date | None = None,
    method: Any = None,
) -> Proposal:
    """A proposal in the meeting; ``method``: a published method of the region's catalogue
    (optional), kept on the agreed action when the family accepts."""
    if meeting.status not in OPEN:
        raise InvalidTransitionError()
    if method is not None and not method_may_be_chosen(method, meeting.tenant_id):
        raise DomainError(
            _("Choose a published method of your region's catalogue."), field="method"
        )
    if not text.strip():
        raise DomainError(_("Write the proposal first."))
    proposal = Proposal.objects.create(
        meeting=meeting,
        text=text.strip()[:500],
        proposed_by=proposed_by,
        owner=owner,
        due_on=due_on,
        method=method,
    )
    _record(actor, "meetings.proposal.added", meeting)
    return proposal


@transaction.atomic
def proposal_decide(*, actor: Any, proposal: Proposal, accepted: bool, channel: str) -> Proposal:
    """The family accepts or declines a proposal; an accepted one becomes an agreed action."""
    meeting = proposal.meeting
    _require_guardian_of(actor, meeting)
    if proposal.status != ProposalStatus.PENDING:
        raise DomainError(_("The family has already decided on this proposal."))
    proposal.status = ProposalStatus.ACCEPTED if accepted else ProposalStatus.DECLINED
    proposal.decided_at = timezone.now()
    proposal.decided_channel = channel
    proposal.save(update_fields=["status", "decided_at", "decided_channel", "updated_at"])
    if accepted:
        MeetingAction.objects.create(
            meeting=meeting,
            proposal=proposal,
            what=proposal.text,
            owner=proposal.owner,
            due_on=proposal.due_on,
            method=proposal.method,
        )
    _record(
        actor,
        "meetings.proposal.accepted" if accepted else "meetings.proposal.declined",
        meeting,
        detail={"channel": channel},
    )
    return proposal


@transaction.atomic
def meeting_close(*, actor: Any, meeting: NetworkMeeting) -> NetworkMeeting:
    """The network work ends: consent-based access ends with it."""
    if meeting.status not in OPEN:
        raise InvalidTransitionError()
    NetworkMeeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CLOSED)
    meeting.refresh_from_db()
    for consent in Consent.objects.active().filter(
        invitee__meeting=meeting, invitee__user__isnull=False
    ):
        relationship_end(
            child=meeting.child,
            user=consent.invitee.user,
            kind=RelationshipKind.NETWORK_MEMBER,
            source_id=consent.pk,
        )
    _record(actor, "meetings.meeting.closed", meeting)
    return meeting


# Time, place, invitations and answers. The emails and the .ics are built in invitations.py.

FAMILY = (InviteeKind.GUARDIAN, InviteeKind.CHILD)
MAX_MEETING_LENGTH = timedelta(hours=12)
_video_link = URLValidator(schemes=["https", "http"])


def _locked(meeting: NetworkMeeting) -> NetworkMeeting:
    return (
        NetworkMeeting.objects.select_for_update()
        .select_related("child", "chair")
        .get(pk=meeting.pk)
    )


def _invited(meeting: NetworkMeeting) -> list[Invitee]:
    return [
        i
        for i in meeting.invitees.select_related("guardian").prefetch_related("consents")
        if i.is_invited
    ]


def _end_consent_access(meeting: NetworkMeeting) -> None:
    for consent in Consent.objects.active().filter(
        invitee__meeting=meeting, invitee__user__isnull=False
    ):
        relationship_end(
            child=meeting.child,
            user=consent.invitee.user,
            kind=RelationshipKind.NETWORK_MEMBER,
            source_id=consent.pk,
        )


def _uninvite(actor: Any, invitee: Invitee) -> None:
    """Someone invited whom the family no longer lets take part gets a CANCEL of their own."""
    current = Invitee.objects.select_for_update().get(pk=invitee.pk)
    if not current.is_invited or invitee.meeting.status != MeetingStatus.SCHEDULED:
        return
    meeting = _locked(invitee.meeting)
    meeting.sequence += 1
    meeting.save(update_fields=["sequence", "updated_at"])
    current.meeting = meeting
    invitations.send(actor=actor, invitee=current, method=invitations.CANCEL)
    invitee.uninvited_at = current.uninvited_at


@transaction.atomic
def meeting_schedule(
    *,
    actor: Any,
    meeting: NetworkMeeting,
    starts_at: datetime | None,
    ends_at: datetime | None,
    location: str = "",
    video_link: str = "",
) -> NetworkMeeting:
    """Set the time and place. Without a place or link the one already set is kept. A change
    after invitations went out sends everyone invited an update of the same calendar event."""
    locked = _locked(meeting)
    if locked.status not in SCHEDULABLE:
        raise InvalidTransitionError()
    if starts_at is None or ends_at is None:
        raise DomainError(_("Give the start and the end of the meeting."))
    if ends_at <= starts_at:
        raise DomainError(_("The meeting has to end after it starts."))
    if ends_at - starts_at > MAX_MEETING_LENGTH:
        raise DomainError(_("A meeting can last at most 12 hours."))
    if starts_at <= timezone.now():
        raise DomainError(_("The meeting cannot start in the past."))
    location, video_link = location.strip(), video_link.strip()
    if not location and not video_link:
        location, video_link = locked.location, locked.video_link
    if not location and not video_link:
        raise DomainError(_("Give the place of the meeting or a video link."))
    if len(location) > 300:
        raise DomainError(_("The place is too long."))
    if video_link:
        try:
            _video_link(video_link)
        except ValidationError as exc:
            raise DomainError(_("The video link is not a valid web address.")) from exc
    changed = (locked.starts_at, locked.ends_at, locked.location, locked.video_link) != (
        starts_at,
        ends_at,
        location,
        video_link,
    )
    invited = _invited(locked) if changed else []
    if invited:
        locked.sequence += 1
    locked.starts_at, locked.ends_at = starts_at, ends_at
    locked.location, locked.video_link = location, video_link
    locked.status = MeetingStatus.SCHEDULED
    locked.save(
        update_fields=[
            "starts_at",
            "ends_at",
            "location",
            "video_link",
            "status",
            "sequence",
            "updated_at",
        ]
    )
    _record(
        actor,
        "meetings.meeting.scheduled",
        locked,
        detail={"starts_at": starts_at.isoformat(), "sequence": locked.sequence},
    )
    for invitee in invited:
        # Everyone invited gets the update; anyone no longer allowed to come, a CANCEL.
        method = invitations.REQUEST if invitations.can_receive(invitee) else invitations.CANCEL
        invitations.send(actor=actor, invitee=invitee, method=method, is_update=True)
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def invitations_send(*, actor: Any, meeting: NetworkMeeting) -> int:
    """Invite everyone the family allows who has not got an invitation yet; return how many."""
    locked = _locked(meeting)
    if locked.status != MeetingStatus.SCHEDULED or locked.starts_at is None:
        raise DomainError(_("Set the time and place before sending invitations."))
    if locked.starts_at <= timezone.now():
        raise DomainError(_("The meeting time has passed. Set a new time first."))
    sent = 0
    for invitee in locked.invitees.select_related("guardian").prefetch_related("consents"):
        if invitee.is_invited or not invitations.can_receive(invitee):
            continue
        invitations.send(actor=actor, invitee=invitee, method=invitations.REQUEST)
        sent += 1
    return sent


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: NetworkMeeting, reason: str = "") -> NetworkMeeting:
    """Cancel the meeting: everyone invited gets a CANCEL of the same calendar event."""
    locked = _locked(meeting)
    if locked.status not in SCHEDULABLE:
        raise InvalidTransitionError()
    invited = _invited(locked)
    locked.status = MeetingStatus.CANCELLED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    _end_consent_access(locked)
    cancel_scheduled(related_object=locked, kind="meetings.reminder")
    _record(
        actor,
        "meetings.meeting.cancelled",
        locked,
        detail={"reason": reason.strip()[:500], "sequence": locked.sequence},
    )
    for invitee in invited:
        invitations.send(actor=actor, invitee=invitee, method=invitations.CANCEL)
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def invitation_answer(
    *,
    actor: Any,
    invitee: Invitee,
    response: str,
    proposed_starts_at: datetime | None = None,
    comment: str = "",
) -> Invitee:
    """The recipient answers through the invitation's link; a new answer replaces the last."""
    invitee = Invitee.objects.select_for_update().select_related("meeting").get(pk=invitee.pk)
    if invitee.meeting.status != MeetingStatus.SCHEDULED:
        raise InvalidTransitionError(_("This meeting no longer takes answers."))
    if not invitee.is_invited or not invitations.may_attend(invitee):
        raise DomainError(_("This invitation is no longer valid."))
    if response not in Response.values:
        raise DomainError(_("Choose your answer."))
    if response == Response.PROPOSE:
        if proposed_starts_at is None:
            raise DomainError(_("Give the time you propose."))
        if proposed_starts_at <= timezone.now():
            raise DomainError(_("The time you propose has already passed."))
    else:
        proposed_starts_at = None
    invitee.response = response
    invitee.responded_at = timezone.now()
    invitee.proposed_starts_at = proposed_starts_at
    invitee.response_comment = comment.strip()[:1000]
    invitee.save(
        update_fields=[
            "response",
            "responded_at",
            "proposed_starts_at",
            "response_comment",
            "updated_at",
        ]
    )
    audit.record(
        actor,
        "meetings.invitation.answered",
        subjects=[invitee.meeting.child],
        obj=invitee.meeting,
        basis="invitation link",
        tenant_id=invitee.meeting.tenant_id,
        detail={"invitee": str(invitee.pk), "response": response},
    )
    return invitee


# --- The meeting itself: notes per phase, held, responsible workers ------------------------


def _require_chair(actor: Any, meeting: NetworkMeeting) -> None:
    if getattr(actor, "pk", None) != meeting.chair_id:
        raise DomainError(_("Only the meeting's chair can do this."))


@transaction.atomic
def phase_note_save(
    *,
    actor: Any,
    meeting: NetworkMeeting,
    phase: str,
    text: str,
    expected_version: int,
) -> PhaseNote:
    """Save the notes of one phase. ``expected_version`` is the version the editor loaded (0
    for notes not yet written); if someone saved in between, ConflictError and nothing saved."""
    if meeting.status not in OPEN:
        raise InvalidTransitionError()
    if phase not in Phase.values:
        raise DomainError(_("Unknown phase of the meeting."))
    note = PhaseNote.objects.filter(meeting=meeting, phase=phase).first()
    if note is None:
        if expected_version != 0:
            raise ConflictError()
        try:
            with transaction.atomic():
                note = PhaseNote.objects.create(meeting=meeting, phase=phase, text=text)
        except IntegrityError as exc:  # another editor created it at the same moment
            raise ConflictError() from exc
    else:
        save_versioned(note, expected_version=expected_version, text=text)
    _record(actor, "meetings.phase.noted", meeting, detail={"phase": phase})
    return note


@transaction.atomic
def participation_record(*, actor: Any, meeting: NetworkMeeting, took_part: Any) -> None:
    """Who of the approved invitees took part (the others did not)."""
    _require_chair(actor, meeting)
    present = {str(pk) for pk in took_part}
    for invitee in meeting.invitees.filter(approval=Approval.APPROVED):
        value = str(invitee.pk) in present
        if invitee.took_part is not value:
            invitee.took_part = value
            invitee.save(update_fields=["took_part", "updated_at"])
    _record(actor, "meetings.participation.recorded", meeting)


def hold_refusal(meeting: NetworkMeeting, held_at: datetime | None = None) -> DomainError | None:
    """Why ``meeting`` cannot be marked held at ``held_at`` (default: its own start), or None.
    Held means the meeting's own time has come: never before it starts, never in the future."""
    when = held_at or meeting.starts_at
    if when is None:
        return DomainError(_("Give the time the meeting was held."), field="held_at")
    if when > timezone.now():
        return DomainError(
            _("The meeting can be marked held once its time has come (%(when)s).")
            % {"when": formats.date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT")},
            field="held_at",
        )
    if meeting.starts_at is not None and when < meeting.starts_at:
        return DomainError(_("A meeting cannot be held before its start time."), field="held_at")
    return None


@transaction.atomic
def meeting_hold(
    *,
    actor: Any,
    meeting: NetworkMeeting,
    took_part: Any = None,
    held_at: datetime | None = None,
) -> NetworkMeeting:
    """The chair marks the meeting held, optionally with who took part. The meeting is held at
    its own time (``starts_at``); ``held_at`` only for a meeting that had no time set, or held
    later than set. Refused before the meeting's time has come (``hold_refusal``)."""
    _require_chair(actor, meeting)
    if meeting.status not in (MeetingStatus.PLANNING, MeetingStatus.SCHEDULED):
        raise InvalidTransitionError()
    refusal = hold_refusal(meeting, held_at)
    if refusal is not None:
        raise refusal
    NetworkMeeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.HELD, held_at=held_at or meeting.starts_at
    )
    meeting.refresh_from_db()
    if took_part is not None:
        participation_record(actor=actor, meeting=meeting, took_part=took_part)
    _record(actor, "meetings.meeting.held", meeting)
    _invite_feedback(actor=actor, meeting=meeting)
    return meeting


def _invite_feedback(*, actor: Any, meeting: NetworkMeeting) -> None:
    """Each guardian gets the family feedback link once the meeting is held (the unit is the
    discussion's, else the child's current one)."""
    if meeting.discussion_id:
        unit = meeting.discussion.unit  # type: ignore[union-attr]
    else:
        enrolments = meeting.child.enrolments.select_related("unit").order_by("-started_on")
        enrolment = enrolments.filter(ended_on__isnull=True).first() or enrolments.first()
        unit = enrolment.unit if enrolment else None
    if unit is None:
        return
    occasion_ended(
        actor=actor,
        child=meeting.child,
        unit=unit,
        context_kind="meeting",
        source=meeting,
        on=timezone.localdate(meeting.held_at or timezone.now()),
    )


def responsible_candidates(
    meeting: NetworkMeeting, *, invitees: Iterable[Invitee] | None = None
) -> list[Any]:
    """Whom the chair may name: the chair and the approved professional invitees with an
    account in this county or region. ``invitees``: the meeting's invitees when the caller
    has read them already."""
    if invitees is None:
        invitees = meeting.invitees.filter(
            kind=InviteeKind.PROFESSIONAL, approval=Approval.APPROVED, user__isnull=False
        )
    ids = [meeting.chair_id] + [
        i.user_id
        for i in invitees
        if i.kind == InviteeKind.PROFESSIONAL
        and i.approval == Approval.APPROVED
        and i.user_id is not None
    ]
    users = User.objects.filter(
        pk__in=ids,
        is_active=True,
        memberships__tenant_id=meeting.tenant_id,
        memberships__is_active=True,
    ).distinct()
    return sorted(users, key=lambda u: (u.pk != meeting.chair_id, u.get_full_name()))


@transaction.atomic
def responsible_workers_name(
    *, actor: Any, meeting: NetworkMeeting, workers: list[Any]
) -> list[Any]:
    """Name the responsible worker (or pair): each gets a responsible-worker relationship with
    the child, started from this meeting. Naming others ends the ones this meeting named."""
    _require_chair(actor, meeting)
    if meeting.status not in OPEN:
        raise InvalidTransitionError()
    chosen = {w.pk: w for w in workers}
    if not 1 <= len(chosen) <= 2:
        raise DomainError(_("Name one responsible worker, or a pair."))
    allowed = {u.pk for u in responsible_candidates(meeting)}
    if not set(chosen) <= allowed:
        raise DomainError(
            _("The responsible worker must be the chair or a professional the family invited.")
        )
    for rel in ChildRelationship.objects.active().filter(
        child=meeting.child, kind=RelationshipKind.RESPONSIBLE, source_id=meeting.pk
    ):
        if rel.user_id not in chosen:
            relationship_end(
                child=meeting.child,
                user=rel.user,
                kind=RelationshipKind.RESPONSIBLE,
                source_id=meeting.pk,
            )
    for worker in chosen.values():
        responsible_worker_assign(
            actor=actor,
            child=meeting.child,
            worker=worker,
            source_id=meeting.pk,
            basis=_basis(actor),
        )
    _record(
        actor,
        "meetings.responsible.named",
        meeting,
        detail={"workers": [str(pk) for pk in chosen]},
    )
    return list(chosen.values())
