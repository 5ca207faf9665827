"""Writes of family feedback: question set versions, single-use links, anonymous answers."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.notifications.services import enqueue_email
from arki.organisations.models import Tenant, Unit

from .defaults import DEFAULT_QUESTIONS
from .models import (
    LANGUAGES,
    Choice,
    ContextKind,
    FeedbackAnswer,
    FeedbackLink,
    FeedbackResponse,
    Question,
    QuestionKind,
    QuestionSet,
)

LINK_VALID_DAYS = 60
MAX_TEXT = 2000


class FeedbackError(DomainError):
    pass


class LinkSpent(FeedbackError):
    default_message = _(
        "This feedback link has already been used. Thank you: your answers were saved earlier "
        "and nothing was changed now."
    )


class LinkInvalid(FeedbackError):
    default_message = _("This feedback link is not valid or has expired.")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def feedback_seed_defaults() -> QuestionSet:
    """The shipped default question set (version 1, for every tenant); created once."""
    existing = QuestionSet.objects.filter(tenant__isnull=True).order_by("version").first()
    if existing is not None:
        return existing
    question_set = QuestionSet.objects.create(tenant=None, version=1)
    for order, (key, kind, texts) in enumerate(DEFAULT_QUESTIONS):
        Question.objects.create(
            question_set=question_set, key=key, kind=kind, order=order, texts=texts
        )
    return question_set


@transaction.atomic
def question_set_new_version(
    *, actor: Any, tenant: Tenant, questions: list[dict[str, Any]]
) -> QuestionSet:
    """Adapt the questions: a new version for ``tenant``; earlier versions (and the answers
    given to them) stay as they were. ``questions``: dicts with key, kind and texts."""
    if not questions:
        raise FeedbackError(_("A question set needs at least one question."))
    keys = [q["key"] for q in questions]
    if len(set(keys)) != len(keys):
        raise FeedbackError(_("Two questions have the same key."))
    for q in questions:
        if q["kind"] not in QuestionKind.values:
            raise FeedbackError(_("Unknown question kind."))
        if not q["texts"].get("fi"):
            raise FeedbackError(_("Every question needs a Finnish text."))
    latest = QuestionSet.objects.filter(tenant=tenant).order_by("-version").first()
    QuestionSet.objects.filter(tenant=tenant, is_active=True).update(is_active=False)
    question_set = QuestionSet.objects.create(
        tenant=tenant, version=(latest.version + 1) if latest else 2, created_by=actor
    )
    for order, q in enumerate(questions):
        texts = {lang: str(q["texts"].get(lang, "")).strip() for lang in LANGUAGES}
        Question.objects.create(
            question_set=question_set, key=q["key"], kind=q["kind"], order=order, texts=texts
        )
    audit.record(
        actor,
        "feedback.questions.versioned",
        obj=question_set,
        tenant_id=tenant.pk,
        detail={"version": question_set.version, "questions": len(questions)},
    )
    return question_set


def month_of(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def feedback_link_create(
    *,
    context_kind: str,
    unit: Unit,
    period: date,
    setting: str | None = None,
    sector: str | None = None,
    language: str = "fi",
    recipient_email: str | None = None,
    actor: Any = None,
    token: str | None = None,
) -> str:
    """A single-use feedback link for a family after a discussion or meeting; returns the token
    (only its hash is stored). The link keeps only coarse context: never pass or store who the
    family is. With ``recipient_email`` the invitation goes out through the outbox, in
    ``language``; the address is not stored here. ``token``: one the caller derives itself
    (the portal's invitation, which shows the same link), else a random one."""
    if context_kind not in ContextKind.values:
        raise FeedbackError(_("Unknown feedback context."))
    language = language if language in LANGUAGES else "fi"
    question_set = QuestionSet.objects.current_for(unit.tenant) or feedback_seed_defaults()
    token = token or secrets.token_urlsafe(32)
    link = FeedbackLink.objects.create(
        tenant_id=unit.tenant_id,
        token_hash=hash_token(token),
        question_set=question_set,
        context_kind=context_kind,
        unit=unit,
        area_id=unit.area_id,
        sector=sector or unit.sector,
        setting=setting or unit.setting,
        period=month_of(period),
        language=language,
        expires_on=timezone.localdate() + timedelta(days=LINK_VALID_DAYS),
    )
    if recipient_email:
        _send_invitation(link=link, token=token, to=recipient_email)
    audit.record(
        actor,
        "feedback.link.created",
        tenant_id=unit.tenant_id,
        detail={"context": context_kind, "emailed": bool(recipient_email)},
    )
    return token


def link_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("feedback:answer", args=[token])


def _send_invitation(*, link: FeedbackLink, token: str, to: str) -> None:
    with translation.override(link.language):
        body = render_to_string(
            "feedback/email/invitation.txt",
            {"url": link_url(token), "context_kind": link.context_kind, "days": LINK_VALID_DAYS},
        )
        subject = gettext("How did it go? A two-minute question for you")
    enqueue_email(
        to=to,
        subject=subject,
        body_text=body,
        kind="feedback.invitation",
        language=link.language,
        tenant_id=link.tenant_id,
        secrets=[token],
    )


def link_for_token(token: str, *, for_update: bool = False) -> FeedbackLink:
    """The open link for ``token``; ``LinkSpent`` once answered, ``LinkInvalid`` otherwise."""
    links = FeedbackLink.objects.select_related("question_set")
    if for_update:
        links = links.select_for_update()
    link = links.filter(token_hash=hash_token(token or "")).first()
    if link is None or link.expires_on < timezone.localdate():
        raise LinkInvalid
    if link.is_spent:
        raise LinkSpent
    return link


@transaction.atomic
def feedback_submit(*, token: str, answers: dict[str, str]) -> FeedbackResponse:
    """Store one family's answers (question key → choice or text) and spend the link. The
    answer keeps the link's coarse context only; nothing points back to the link."""
    link = link_for_token(token, for_update=True)
    questions = {q.key: q for q in link.question_set.questions.all()}
    rows = []
    for key, value in answers.items():
        question = questions.get(key)
        value = (value or "").strip()
        if question is None or not value:
            continue
        if question.kind == QuestionKind.CHOICE:
            if value not in Choice.values:
                raise FeedbackError(_("Choose one of the answers given."))
            rows.append(FeedbackAnswer(question=question, choice=value))
        else:
            rows.append(FeedbackAnswer(question=question, text=value[:MAX_TEXT]))
    if not rows:
        raise FeedbackError(_("Answer at least one question."))
    response = FeedbackResponse.objects.create(
        tenant_id=link.tenant_id,
        question_set=link.question_set,
        context_kind=link.context_kind,
        unit_id=link.unit_id,
        area_id=link.area_id,
        sector=link.sector,
        setting=link.setting,
        period=link.period,
        language=link.language,
    )
    for row in rows:
        row.response = response
    FeedbackAnswer.objects.bulk_create(rows)
    link.is_spent = True
    link.save(update_fields=["is_spent"])
    return response
