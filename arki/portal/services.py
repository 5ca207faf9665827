"""Writes of the family portal. Each is one transaction with its own audit event."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.discussions.models import DiscussionStatus
from arki.feedback.services import feedback_link_create
from arki.meetings.models import SCHEDULABLE
from arki.notifications.services import enqueue_email
from arki.people.models import Child, Guardian, Guardianship

from .actors import ChildActor
from .models import (
    CodeDelivery,
    FeedbackInvitation,
    LinkEnd,
    PortalLink,
    PortalSession,
    Preparation,
    Respondent,
    SessionEnd,
)

MAX_CODE_FAILURES = 5


class LinkNotUsableError(DomainError):
    default_message = _(
        "This link does not work any more. It may have been used already, or it is too old. "
        "Ask your worker for a new link."
    )


class WrongCodeError(DomainError):
    def __init__(self, remaining: int) -> None:
        self.remaining = remaining
        super().__init__(
            _("The code is not right. Check the code and try again.")
            if remaining
            else _("The code was wrong too many times. Ask your worker for a new link.")
        )


class NotAGuardianError(DomainError):
    default_message = _("This person is not a guardian of the child.")


class ChildTooYoungError(DomainError):
    default_message = _("The child is too young to get their own portal link.")


class NoEmailError(DomainError):
    default_message = _("An email address is needed to send the link.")


def child_min_age() -> int:
    return int(getattr(settings, "ARKI_PORTAL_CHILD_MIN_AGE", 12))


def link_lifetime() -> timedelta:
    return timedelta(hours=int(getattr(settings, "ARKI_PORTAL_LINK_HOURS", 72)))


def child_may_have_link(child: Child) -> bool:
    months = child.age_in_months()
    return months is not None and months >= child_min_age() * 12


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _hash_code(link_id: Any, code: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"{link_id}:{code}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class IssuedLink:
    """A new link with its secrets; the token and code exist only here, never in the database."""

    link: PortalLink
    token: str
    code: str


def _actor_for_link(link: PortalLink) -> Guardian | ChildActor:
    return link.guardian if link.guardian is not None else ChildActor(link.child)


def _subjects(link: PortalLink) -> list[Any]:
    return [link.child, link.guardian] if link.guardian is not None else [link.child]


@transaction.atomic
def link_issue(
    *,
    actor: Any,
    child: Child,
    guardian: Guardian | None = None,
    email: str = "",
    code_delivery: str = CodeDelivery.NONE,
    basis: str = "",
) -> IssuedLink:
    """Create a single-use link for a guardian of ``child`` (or for the child, from the
    configured age). Only hashes of the token and code are stored."""
    if guardian is not None:
        if not Guardianship.objects.filter(guardian=guardian, child=child).exists():
            raise NotAGuardianError()
        email = email or guardian.email
    elif not child_may_have_link(child):
        raise ChildTooYoungError()
    if not email:
        raise NoEmailError()
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**6):06d}" if code_delivery != CodeDelivery.NONE else ""
    link = PortalLink(
        child=child,
        guardian=guardian,
        email=email,
        token_hash=hash_token(token),
        code_delivery=code_delivery,
        expires_at=timezone.now() + link_lifetime(),
        created_by=actor,
    )
    if code:
        link.code_hash = _hash_code(link.pk, code)
    link.save()
    audit.record(
        actor,
        "portal.link.created",
        subjects=_subjects(link),
        obj=link,
        basis=basis,
        recipient=email,
    )
    return IssuedLink(link=link, token=token, code=code)


def link_for_token(token: str) -> PortalLink | None:
    """The usable link with this token, or None (a used, expired or revoked link is None)."""
    link = (
        PortalLink.objects.select_related("child", "guardian")
        .filter(token_hash=hash_token(token))
        .first()
    )
    return link if link is not None and link.is_usable else None


def link_open(*, token: str, code: str = "", request: Any = None) -> PortalSession:
    """Consume the link (once) and start a portal session. A wrong code counts; after
    ``MAX_CODE_FAILURES`` the link is closed for good."""
    with transaction.atomic():
        link = (
            PortalLink.objects.select_for_update(of=("self",))
            .select_related("child", "guardian")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if link is None or not link.is_usable:
            raise LinkNotUsableError()
        if (
            link.guardian_id
            and not Guardianship.objects.filter(
                guardian_id=link.guardian_id, child_id=link.child_id
            ).exists()
        ):
            raise LinkNotUsableError()
        wrong_code = link.requires_code and not hmac.compare_digest(
            link.code_hash, _hash_code(link.pk, code.strip())
        )
        if wrong_code:
            remaining = _code_failed(link, request=request)
        else:
            link.consumed_at = timezone.now()
            link.save(update_fields=["consumed_at", "updated_at"])
            session = PortalSession.objects.create(
                link=link, child=link.child, guardian=link.guardian
            )
            audit.record(
                _actor_for_link(link),
                "portal.session.started",
                subjects=_subjects(link),
                obj=session,
                basis="portal_link",
                request=request,
            )
            return session
    # The failure is saved above; the error is raised after its transaction committed.
    raise WrongCodeError(remaining)


def _code_failed(link: PortalLink, *, request: Any) -> int:
    link.code_failures += 1
    fields = ["code_failures", "updated_at"]
    if link.code_failures >= MAX_CODE_FAILURES:
        link.ended_at = timezone.now()
        link.end_reason = LinkEnd.CODE_FAILURES
        fields += ["ended_at", "end_reason"]
    link.save(update_fields=fields)
    audit.record(
        _actor_for_link(link),
        "portal.link.code_failed",
        subjects=_subjects(link),
        obj=link,
        basis="portal_link",
        request=request,
        detail={"failures": link.code_failures},
    )
    return max(MAX_CODE_FAILURES - link.code_failures, 0)


@transaction.atomic
def link_revoke(*, actor: Any, link: PortalLink, basis: str = "") -> None:
    """Close the link; a session started from it ends at its next request (at once here)."""
    if link.ended_at is None:
        link.ended_at = timezone.now()
        link.end_reason = LinkEnd.REVOKED
        link.ended_by = actor
        link.save(update_fields=["ended_at", "end_reason", "ended_by", "updated_at"])
    session = PortalSession.objects.active().filter(link=link).first()
    if session is not None:
        session_end(session=session, reason=SessionEnd.REVOKED, actor=actor, basis=basis)
    audit.record(actor, "portal.link.revoked", subjects=_subjects(link), obj=link, basis=basis)


@transaction.atomic
def session_end(*, session: PortalSession, reason: str, actor: Any = None, basis: str = "") -> None:
    """End a portal session (logout, revocation by the worker, idle, too old)."""
    updated = PortalSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason, ended_by=actor
    )
    if not updated:
        return
    session.refresh_from_db()
    detail: dict[str, Any] = {"reason": reason}
    who: Any = actor
    if who is None and reason == SessionEnd.LOGOUT:
        who = _actor_for_link(session.link)
    elif who is None:
        detail["actor_label"] = "Arki"  # the system ended it (idle, too old, access lost)
    audit.record(
        who,
        "portal.session.ended",
        subjects=_subjects(session.link),
        obj=session,
        basis=basis or "portal_link",
        detail=detail,
    )


def _recipient_language(link: PortalLink) -> str:
    person = link.guardian if link.guardian is not None else link.child
    language = person.preferred_language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@transaction.atomic
def link_send(
    *,
    actor: Any,
    child: Child,
    guardian: Guardian | None = None,
    email: str = "",
    code_delivery: str = CodeDelivery.NONE,
    basis: str = "",
) -> IssuedLink:
    """Issue a link and put its email (and the code's separate email) in the outbox, all in
    one transaction. The emails name no child: only the worker and the link. The token and
    the code are redacted from the stored emails once they have been delivered."""
    issued = link_issue(
        actor=actor,
        child=child,
        guardian=guardian,
        email=email,
        code_delivery=code_delivery,
        basis=basis,
    )
    link = issued.link
    language = _recipient_language(link)
    url = settings.SITE_URL.rstrip("/") + reverse("portal:open", args=[issued.token])
    context = {"link": link, "url": url, "worker": actor, "code": issued.code}
    with translation.override(language):
        enqueue_email(
            to=link.email,
            subject=str(_("A link to the family portal")),
            body_text=render_to_string("portal/email/link.txt", context),
            tenant_id=child.tenant_id,
            kind="portal.link",
            language=language,
            related_object=link,
            secrets=[issued.token],
        )
        if code_delivery == CodeDelivery.EMAIL:
            enqueue_email(
                to=link.email,
                subject=str(_("Your code for the family portal")),
                body_text=render_to_string("portal/email/code.txt", context),
                tenant_id=child.tenant_id,
                kind="portal.code",
                language=language,
                related_object=link,
                secrets=[issued.code],
            )
    return issued


class PreparationClosedError(DomainError):
    default_message = _(
        "This preparation can no longer be changed: the discussion or meeting has been held."
    )


def target_is_open(*, discussion: Any = None, meeting: Any = None) -> bool:
    """A preparation can be changed until the discussion it is for has been held (a session
    recorded), declined or closed, or until the network meeting it is for has been held,
    closed or cancelled (only a meeting being planned or scheduled is open)."""
    if discussion is not None:
        if discussion.status not in (DiscussionStatus.OFFERED, DiscussionStatus.ACCEPTED):
            return False
        if discussion.sessions.exists():
            return False
    if meeting is not None:
        if meeting.status not in SCHEDULABLE:
            return False
        if meeting.held_at is not None:
            return False
    return True


def preparation_is_open(preparation: Preparation) -> bool:
    return target_is_open(discussion=preparation.discussion, meeting=preparation.meeting)


@transaction.atomic
def preparation_save(
    *,
    actor: Any,
    child: Child,
    guardian: Guardian | None,
    answers: dict[str, str],
    discussion: Any = None,
    meeting: Any = None,
    request: Any = None,
) -> Preparation:
    """Save the guardian's (or the child's own) preparation answers, for one discussion, for
    one network meeting, or in general; a new save replaces the earlier answers while the
    preparation is open."""
    if discussion is not None and meeting is not None:
        raise DomainError(_("A preparation is for one discussion or one meeting, not both."))
    for target in (discussion, meeting):
        if target is not None and target.child_id != child.pk:
            raise PreparationClosedError()
    if not target_is_open(discussion=discussion, meeting=meeting):
        raise PreparationClosedError()
    respondent = Respondent.GUARDIAN if guardian is not None else Respondent.CHILD
    preparation = (
        Preparation.objects.select_for_update(of=("self",))
        .filter(
            child=child,
            guardian=guardian,
            respondent=respondent,
            discussion=discussion,
            meeting=meeting,
        )
        .first()
    )
    if preparation is None:
        preparation = Preparation(
            child=child,
            guardian=guardian,
            respondent=respondent,
            discussion=discussion,
            meeting=meeting,
        )
    preparation.answers = answers
    preparation.submitted_at = timezone.now()
    preparation.save()
    audit.record(
        actor,
        "portal.preparation.saved",
        subjects=[child, guardian] if guardian is not None else [child],
        obj=preparation,
        basis="guardian" if guardian is not None else "own_data",
        request=request,
    )
    return preparation


@transaction.atomic
def feedback_invite_guardians(
    *, actor: Any, child: Child, unit: Any, context_kind: str, source: Any, on: Any
) -> int:
    """After a discussion closes or a network meeting is held: each guardian gets a feedback
    link, by email (through the outbox) and on their portal page, in their own language. Once
    per guardian and occasion: calling again (closing again, saving again) sends nothing more.
    The link keeps only coarse context (docs/decisions/0005). Returns how many were invited."""
    invited = 0
    for guardian in child.guardians.all():
        invitation, created = FeedbackInvitation.objects.get_or_create(
            guardian=guardian,
            context_kind=context_kind,
            source_id=source.pk,
            defaults={"child": child, "language": guardian.preferred_language},
        )
        if not created:
            continue
        feedback_link_create(
            context_kind=context_kind,
            unit=unit,
            period=on,
            language=invitation.language,
            recipient_email=guardian.email or None,
            actor=actor,
            token=invitation.token,
        )
        invited += 1
    return invited
