"""The family portal: secure links, portal sessions, and the family's preparation answers.

A worker sends a guardian (or a child old enough) a single-use link. Only the SHA-256 hash of
the link's token is stored. Opening the link (a POST on the confirm page) starts a portal
session tied to one child; the worker can revoke the link or end the session at any time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel
from arki.people.models import Child, Guardian

from .questions import questions_for


class Respondent(models.TextChoices):
    GUARDIAN = "guardian", _("guardian")
    CHILD = "child", _("child")


class CodeDelivery(models.TextChoices):
    NONE = "none", _("no code")
    EMAIL = "email", _("code in a separate email")
    WORKER = "worker", _("the worker gives the code by phone")


class LinkEnd(models.TextChoices):
    REVOKED = "revoked", _("revoked by the worker")
    CODE_FAILURES = "code_failures", _("too many wrong codes")


class LinkStatus(models.TextChoices):
    WAITING = "waiting", _("not opened yet")
    USED = "used", _("opened")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")
    LOCKED = "locked", _("closed after wrong codes")


class PortalLinkQuerySet(models.QuerySet["PortalLink"]):
    def usable(self) -> PortalLinkQuerySet:
        return self.filter(
            consumed_at__isnull=True, ended_at__isnull=True, expires_at__gt=timezone.now()
        )


class PortalLink(BaseModel):
    """One single-use link to the portal for one person about one child."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="portal_links")
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.CASCADE,
        related_name="portal_links",
        null=True,
        blank=True,
        help_text=_("Empty when the link is for the child."),
    )
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_delivery = models.CharField(
        _("one-time code"), max_length=10, choices=CodeDelivery.choices, default=CodeDelivery.NONE
    )
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_failures = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(_("valid until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consumed_at = models.DateTimeField(_("opened"), null=True, blank=True)
    ended_at = models.DateTimeField(_("closed"), null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=LinkEnd.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = PortalLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal link")
        verbose_name_plural = _("portal links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.recipient_label} ({self.get_status_display()})"

    @property
    def respondent(self) -> str:
        return Respondent.GUARDIAN if self.guardian_id else Respondent.CHILD

    @property
    def recipient_label(self) -> str:
        return str(self.guardian) if self.guardian_id else str(self.child)

    @property
    def requires_code(self) -> bool:
        return self.code_delivery != CodeDelivery.NONE

    @property
    def status(self) -> str:
        if self.end_reason == LinkEnd.CODE_FAILURES:
            return LinkStatus.LOCKED
        if self.ended_at is not None:
            return LinkStatus.REVOKED
        if self.consumed_at is not None:
            return LinkStatus.USED
        if self.expires_at <= timezone.now():
            return LinkStatus.EXPIRED
        return LinkStatus.WAITING

    def get_status_display(self) -> str:
        return str(LinkStatus(self.status).label)

    @property
    def is_usable(self) -> bool:
        return self.status == LinkStatus.WAITING


class SessionEnd(models.TextChoices):
    LOGOUT = "logout", _("logged out")
    REVOKED = "revoked", _("ended by the worker")
    IDLE = "idle", _("idle too long")
    EXPIRED = "expired", _("too old")
    ACCESS_LOST = "access_lost", _("no longer a guardian")


class PortalSessionQuerySet(models.QuerySet["PortalSession"]):
    def active(self) -> PortalSessionQuerySet:
        return self.filter(ended_at__isnull=True)


class PortalSession(BaseModel):
    """A guardian's (or a child's) time in the portal after opening a link."""

    link = models.OneToOneField(PortalLink, on_delete=models.CASCADE, related_name="session")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="portal_sessions")
    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="portal_sessions", null=True, blank=True
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=SessionEnd.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = PortalSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal session")
        verbose_name_plural = _("portal sessions")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.recipient_label} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def respondent(self) -> str:
        return Respondent.GUARDIAN if self.guardian_id else Respondent.CHILD

    @property
    def recipient_label(self) -> str:
        return str(self.guardian) if self.guardian_id else str(self.child)


class Preparation(BaseModel):
    """The family's own preparation before a discussion or a network meeting: a guardian's
    answers, or the child's own voice. Editable until the discussion or meeting is held."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="preparations")
    respondent = models.CharField(_("who answered"), max_length=10, choices=Respondent.choices)
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.CASCADE,
        related_name="preparations",
        null=True,
        blank=True,
    )
    discussion = models.ForeignKey(
        "discussions.Discussion",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("LT discussion"),
    )
    meeting = models.ForeignKey(
        "meetings.NetworkMeeting",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("network meeting"),
    )
    answers = models.JSONField(_("answers"), default=dict)
    submitted_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("preparation")
        verbose_name_plural = _("preparations")
        ordering = ["-submitted_at"]
        constraints = [
            # For one discussion, for one network meeting, or general (neither): never both.
            models.CheckConstraint(
                condition=Q(discussion__isnull=True) | Q(meeting__isnull=True),
                name="preparation_one_target",
            )
        ]

    def __str__(self) -> str:
        who = str(self.guardian) if self.guardian_id else str(self.child)
        return f"{who} {self.submitted_at:%Y-%m-%d}"

    @property
    def respondent_label(self) -> str:
        return str(self.guardian) if self.guardian_id else str(self.child)

    @property
    def answered(self) -> list[tuple[str, str]]:
        """(question, answer) pairs in the form's order, the unanswered left out."""
        return [
            (str(label), self.answers[key])
            for key, label in questions_for(self.respondent, meeting=self.meeting_id is not None)
            if self.answers.get(key)
        ]


class FeedbackInvitation(BaseModel):
    """That a guardian was invited to give feedback after one discussion or network meeting:
    one row per guardian and occasion, so the invitation goes out once. The link itself
    (``feedback.FeedbackLink``) knows nothing of the family; its token is derived from this
    row's id with the secret key and is never stored here (docs/decisions/0005)."""

    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="feedback_invitations"
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    context_kind = models.CharField(_("context"), max_length=20)
    source_id = models.UUIDField(_("discussion or meeting"))
    language = models.CharField(_("language"), max_length=5)

    class Meta:
        verbose_name = _("feedback invitation")
        verbose_name_plural = _("feedback invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "context_kind", "source_id"], name="feedback_invitation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.guardian} {self.context_kind}"

    @property
    def token(self) -> str:
        return salted_hmac(
            "arki.portal.feedback_invitation", str(self.pk), algorithm="sha256"
        ).hexdigest()
