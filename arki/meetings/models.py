"""LT network meetings: planning with the family, invitees, consent, proposals and actions."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel, VersionedModel
from arki.organisations.models import Tenant
from arki.people.models import Child, Guardian, NetworkPerson


class MeetingStatus(models.TextChoices):
    PLANNING = "planning", _("planning")
    SCHEDULED = "scheduled", _("scheduled")
    HELD = "held", _("held")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


# A meeting whose time can still be set or changed, and one not yet closed or cancelled.
SCHEDULABLE = (MeetingStatus.PLANNING, MeetingStatus.SCHEDULED)
OPEN_STATUSES = (MeetingStatus.PLANNING, MeetingStatus.SCHEDULED, MeetingStatus.HELD)


class NetworkMeeting(VersionedModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="network_meetings")
    discussion = models.ForeignKey(
        "discussions.Discussion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_meetings",
    )
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_meetings"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNING
    )
    reason = models.TextField(_("why the meeting is needed"))
    topics = models.TextField(_("topics, in words the family agreed"), blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    sequence = models.PositiveIntegerField(default=0)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)

    class Meta:
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.child} {self.created_at:%Y-%m-%d}"

    @property
    def uid(self) -> str:
        return f"{self.pk}@arki"


class InviteeKind(models.TextChoices):
    GUARDIAN = "guardian", _("guardian")
    CHILD = "child", _("the child")
    NETWORK_PERSON = "network_person", _("from the family's own network")
    PROFESSIONAL = "professional", _("professional")


def typed_role(kind: str, role_label: str) -> str:
    """The invitee's role to show as the planner typed it, or "" where the kind of invitee is
    shown instead, in the reader's language: always for the family (a guardian, the child),
    whose role is typed once in whichever language the planner used, and when nothing was
    typed. The meeting page (``Invitee.role_display``) and the report's snapshot both use it."""
    if kind in (InviteeKind.GUARDIAN, InviteeKind.CHILD):
        return ""
    return role_label


class Approval(models.TextChoices):
    PENDING = "pending", _("waiting for the family")
    APPROVED = "approved", _("approved by the family")
    REFUSED = "refused", _("refused by the family")


class Response(models.TextChoices):
    YES = "yes", _("coming")
    NO = "no", _("not coming")
    PROPOSE = "propose", _("proposes another time")


def _token() -> str:
    # Kept for migration 0001, which named it as the default of the answer link's former
    # clear-text column.
    return secrets.token_urlsafe(24)


class Invitee(BaseModel):
    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="invitees")
    kind = models.CharField(_("who"), max_length=20, choices=InviteeKind.choices)
    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, null=True, blank=True)
    network_person = models.ForeignKey(
        NetworkPerson, on_delete=models.PROTECT, null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="fi")
    role_label = models.CharField(_("role"), max_length=200, blank=True)
    expected_contribution = models.TextField(_("what they are expected to bring"), blank=True)
    approval = models.CharField(
        _("the family's approval"),
        max_length=20,
        choices=Approval.choices,
        default=Approval.PENDING,
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_channel = models.CharField(max_length=20, blank=True)
    took_part = models.BooleanField(_("took part"), null=True, blank=True)
    required = models.BooleanField(_("required for the time"), default=True)
    # The invitation: when it was last sent, with which SEQUENCE; and a CANCEL sent to this
    # invitee alone (refused by the family after being invited).
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    invited_sequence = models.PositiveIntegerField(null=True, blank=True)
    uninvited_at = models.DateTimeField(_("invitation cancelled"), null=True, blank=True)
    # The answer given through the invitation's link; answering again replaces it.
    response = models.CharField(_("answer"), max_length=20, choices=Response.choices, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    proposed_starts_at = models.DateTimeField(_("proposed time"), null=True, blank=True)
    response_comment = models.TextField(_("comment"), blank=True)

    # How an invitee answering through the link appears in the audit log.
    audit_role = "invitee"

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name

    @property
    def role_display(self) -> str:
        """The role as typed, or the kind of invitee in the reader's language (``typed_role``)."""
        return typed_role(self.kind, self.role_label) or str(self.get_kind_display())

    @property
    def is_invited(self) -> bool:
        """Holds a live invitation (sent, and not cancelled for them since)."""
        return self.invited_at is not None and self.uninvited_at is None


class AnswerLinkQuerySet(models.QuerySet["AnswerLink"]):
    def live(self) -> AnswerLinkQuerySet:
        """Not replaced by a newer invitation or a cancellation (expiry is checked apart)."""
        return self.filter(ended_at__isnull=True)


class AnswerLink(BaseModel):
    """The link in one invitation or reminder email to answer it without logging in. Only the
    SHA-256 of the token is stored (as for portal links, decision 0006); the email carries the
    token and the outbox redacts it once sent. A link expires (``expires_at``, and a grace
    period after the meeting) and ends when a newer invitation or a cancellation is sent."""

    invitee = models.ForeignKey(Invitee, on_delete=models.CASCADE, related_name="answer_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("valid until"))
    ended_at = models.DateTimeField(_("replaced or cancelled"), null=True, blank=True)

    objects = AnswerLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer link")
        verbose_name_plural = _("answer links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.invitee} {self.created_at:%Y-%m-%d %H:%M}"


class ConsentScope(models.TextChoices):
    ATTEND = "attend", _("may take part and hear the family's situation")
    ACTION_PLAN = "action_plan", _("may see the action plan")
    MEETING_REPORT = "meeting_report", _("may receive the meeting report")
    DISCUSSION_SUMMARY = "discussion_summary", _("may see the discussion summary")


class ConsentChannel(models.TextChoices):
    PORTAL = "portal", _("in the family portal")
    PAPER = "paper", _("on paper, recorded by the worker")
    IN_MEETING = "in_meeting", _("in the meeting, recorded by the chair")


CONSENT_TEXT_VERSION = "2026-11"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Consent(BaseModel):
    """One consent for one invitee and scope. Withdrawal is recorded, never deleted; giving it
    again is a new row, so the history stays."""

    invitee = models.ForeignKey(Invitee, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("what it allows"), max_length=30, choices=ConsentScope.choices)
    given_by_guardian = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    given_by_child = models.BooleanField(default=False)
    text_version = models.CharField(max_length=20, default=CONSENT_TEXT_VERSION)
    channel = models.CharField(_("how"), max_length=20, choices=ConsentChannel.choices)
    given_at = models.DateTimeField(_("given"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitee", "scope"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitee} – {self.get_scope_display()}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the family")
    ACCEPTED = "accepted", _("accepted by the family")
    DECLINED = "declined", _("declined by the family")


class Proposal(BaseModel):
    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="proposals")
    text = models.CharField(_("proposal"), max_length=500)
    proposed_by = models.CharField(_("proposed by"), max_length=200, blank=True)
    owner = models.CharField(_("who would do it"), max_length=200, blank=True)
    due_on = models.DateField(_("by"), null=True, blank=True)
    method = models.ForeignKey(
        "methods.Method",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("method from the catalogue"),
    )
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_channel = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text


class MeetingAction(BaseModel):
    """An agreed action: made from a proposal the family accepted."""

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="actions")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="action")
    what = models.CharField(_("what will be done"), max_length=500)
    owner = models.CharField(_("who"), max_length=200, blank=True)
    due_on = models.DateField(_("by"), null=True, blank=True)
    method = models.ForeignKey(
        "methods.Method",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreed_actions",
        verbose_name=_("method from the catalogue"),
    )

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.what


class Phase(models.TextChoices):
    """The agenda of an LT network meeting, in order."""

    OPENING = "opening", _("opening and purpose")
    HOPES_WORRIES = "hopes_worries", _("the family's hopes and worries")
    STRENGTHS = "strengths", _("each participant's view of strengths")
    CONCERNS = "concerns", _("concerns")
    PROPOSALS = "proposals", _("proposals")
    AGREEMENT = "agreement", _("agreement")
    FOLLOW_UP = "follow_up", _("responsible worker and follow-up")


class PhaseNote(VersionedModel):
    """The chair's notes for one phase of one meeting; saves carry the version (no lost
    updates)."""

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="phase_notes"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    text = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("phase notes")
        verbose_name_plural = _("phase notes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "phase"], name="phase_note_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.phase}"


class MeetingReport(BaseModel):
    """One version of the minutes: a frozen snapshot of what was recorded. A correction is a
    new version; earlier versions stay."""

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.PROTECT, related_name="reports")
    number = models.PositiveIntegerField(_("version"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(default=dict)
    correction_note = models.TextField(_("what was corrected"), blank=True)

    class Meta:
        verbose_name = _("meeting report")
        verbose_name_plural = _("meeting reports")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="report_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.number}"


class ReportDelivery(BaseModel):
    """Which version of the report went to whom (each one also a disclosure audit event)."""

    report = models.ForeignKey(MeetingReport, on_delete=models.PROTECT, related_name="deliveries")
    invitee = models.ForeignKey(
        Invitee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=5)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.report} → {self.name}"
