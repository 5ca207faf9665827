"""The outbox API other apps call, and the delivery worker.

Delivery guarantee (docs/decisions/0010-email-outbox.md):

- ``enqueue_email`` writes the message in the caller's transaction; a rollback leaves nothing,
  and nothing is handed to the mail server before commit.
- ``deliver_pending`` claims due messages in a short transaction (status ``sending``, a claim
  token and time), commits, sends each one, and marks it ``sent`` only if its claim still holds.
  A ``sent`` message is never claimed again, so running the worker twice sends once.
- A worker that dies after its claim leaves the message in ``sending``; after
  ``OUTBOX_STUCK_AFTER`` another run claims it again. If the death happened after the mail
  server accepted the message but before ``sent`` was written, that one message goes out twice
  with the same Message-ID (at-least-once in that window only); everywhere else delivery is
  exactly once.

Secrets (a portal sign-in link's token, a one-time code): the caller passes them as
``secrets=[...]``. They stay in the stored row only until delivery: the update that marks the
message ``sent`` (or ``failed`` for good) also replaces each one with ``REDACTED`` in the stored
subject and bodies. A retry after a failed attempt still sends the real message.
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.db import IntegrityError, connection, models, transaction
from django.tasks import default_task_backend, task
from django.utils import timezone
from django.utils.html import escape

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# Retry after 1, 2, 4, 8 … minutes (capped), then give up.
OUTBOX_MAX_ATTEMPTS = getattr(settings, "ARKI_OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_BACKOFF_BASE = timedelta(minutes=1)
OUTBOX_BACKOFF_MAX = timedelta(hours=2)
# A claim older than this belongs to a worker that died; longer than any SMTP timeout.
OUTBOX_STUCK_AFTER = timedelta(minutes=15)
OUTBOX_BATCH = 50
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What a secret becomes in the stored message once it has been delivered.
REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 6


def _message_domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return address.rsplit("@", 1)[-1] or "localhost"


def _related(obj: models.Model | None) -> tuple[str, Any]:
    if obj is None:
        return "", None
    return obj._meta.label_lower, obj.pk


def _secrets_in(secrets: Iterable[str], *texts: str) -> list[str]:
    """The distinct secrets, longest first (so that one inside another goes as a whole).

    A secret that is too short, or that neither the message nor a text attachment contains,
    is a programming error: redacting it would either mangle the text or silently leave the
    real secret in the row.
    """
    values = sorted({str(s) for s in secrets}, key=len, reverse=True)
    for value in values:
        if len(value) < MIN_SECRET_LENGTH:
            raise ValueError("A secret to redact must be at least 6 characters long.")
        if not any(value in text or escape(value) in text for text in texts):
            raise ValueError("A secret to redact does not occur in the message.")
    return values


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with each secret (as it is, and HTML-escaped) replaced by ``REDACTED``."""
    for secret in secrets:
        text = text.replace(secret, REDACTED).replace(escape(secret), REDACTED)
    return text


def _attachment_text(attachment: dict[str, str]) -> str | None:
    """A text attachment (e.g. an invitation's .ics) as text with folded lines joined, so a
    secret split by iCalendar's line folding is found whole; None for binary attachments."""
    if not attachment["mimetype"].startswith("text/"):
        return None
    try:
        text = base64.b64decode(attachment["content_b64"]).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def _redact_attachments(attachments: list[dict[str, str]], secrets: list[str]) -> list:
    redacted = []
    for attachment in attachments:
        text = _attachment_text(attachment)
        if text is not None and any(secret in text for secret in secrets):
            content = redact(text, secrets).encode("utf-8")
            attachment = {**attachment, "content_b64": base64.b64encode(content).decode("ascii")}
        redacted.append(attachment)
    return redacted


def _redaction(message: OutboxMessage, now: datetime) -> dict[str, Any]:
    """The field values that remove the message's secrets from its stored row (none: {}):
    subject, bodies and text attachments (a redacted .ics is kept unfolded, as a record)."""
    secrets = message.secrets_to_redact
    if not secrets:
        return {}
    return {
        "subject": redact(message.subject, secrets),
        "body_text": redact(message.body_text, secrets),
        "body_html": redact(message.body_html, secrets),
        "attachments": _redact_attachments(message.attachments, secrets),
        "secrets_to_redact": [],
        "redacted_at": now,
    }


def schedule_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    send_after: datetime,
    body_html: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
    tenant_id: Any = None,
    kind: str,
    language: str = "fi",
    related_object: models.Model | None = None,
    dedupe_key: str | None = None,
    secrets: Iterable[str] = (),
) -> OutboxMessage:
    """Write an email that goes out at ``send_after`` (or at once if that has passed).

    Call inside the caller's transaction. A second call with the same ``dedupe_key`` returns
    the first message and sends nothing more. ``secrets`` (link tokens, codes) are removed
    from the stored message once it has been delivered.
    """
    subject = " ".join(str(subject).split())[:300]
    stored = []
    for filename, content, mimetype in attachments:
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise ValueError(f"Attachment {filename!r} is too large for email.")
        stored.append(
            {
                "filename": filename,
                "mimetype": mimetype,
                "content_b64": base64.b64encode(content).decode("ascii"),
            }
        )
    texts = [t for t in map(_attachment_text, stored) if t is not None]  # e.g. the .ics
    to_redact = _secrets_in(secrets, subject, body_text, body_html, *texts)
    if dedupe_key:
        existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    related_type, related_id = _related(related_object)
    message = OutboxMessage(
        tenant_id=tenant_id,
        kind=kind,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        secrets_to_redact=to_redact,
        attachments=stored,
        language=language,
        related_type=related_type,
        related_id=related_id,
        dedupe_key=dedupe_key or None,
        next_attempt_at=send_after,
        message_id=make_msgid(domain=_message_domain()),
    )
    try:
        # A savepoint, so that a lost dedupe race does not break the caller's transaction.
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        if dedupe_key:
            existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
            if existing is not None:
                return existing
        raise
    run_after = send_after if send_after > timezone.now() else None
    transaction.on_commit(lambda: request_delivery(run_after=run_after))
    return message


def enqueue_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
    tenant_id: Any = None,
    kind: str,
    language: str = "fi",
    related_object: models.Model | None = None,
    dedupe_key: str | None = None,
    secrets: Iterable[str] = (),
) -> OutboxMessage:
    """Write an email to be sent as soon as the caller's transaction commits (``secrets``: see
    ``schedule_email``)."""
    return schedule_email(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments,
        tenant_id=tenant_id,
        kind=kind,
        language=language,
        related_object=related_object,
        dedupe_key=dedupe_key,
        secrets=secrets,
        send_after=timezone.now(),
    )


def cancel_scheduled(*, related_object: models.Model, kind: str | None = None) -> int:
    """Drop the not-yet-sent emails about ``related_object`` (optionally of one kind)."""
    related_type, related_id = _related(related_object)
    pending = OutboxMessage.objects.filter(
        related_type=related_type, related_id=related_id, status=OutboxStatus.PENDING
    )
    if kind is not None:
        pending = pending.filter(kind=kind)
    return pending.delete()[0]


def request_delivery(*, run_after: datetime | None = None) -> None:
    """Ask the task worker to run delivery (now, or at ``run_after``).

    Failure to enqueue loses nothing: the message stays pending for the next run of
    ``run_outbox`` or of any later delivery task.
    """
    try:
        if run_after is not None:
            if not default_task_backend.supports_defer:
                return
            deliver_outbox.using(run_after=run_after).enqueue()
        else:
            deliver_outbox.enqueue()
    except Exception:
        logger.exception("Could not enqueue outbox delivery; run_outbox will pick it up.")


def _claim(now: datetime, limit: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Move due messages to ``sending`` in one committed transaction; return (id, token)."""
    with transaction.atomic():
        due = OutboxMessage.objects.due(now, now - OUTBOX_STUCK_AFTER).order_by("next_attempt_at")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        # On SQLite the IMMEDIATE transaction mode takes the write lock here: one claimer.
        ids = list(due.values_list("pk", flat=True)[:limit])
        claims = []
        for pk in ids:
            token = uuid.uuid4()
            updated = (
                OutboxMessage.objects.due(now, now - OUTBOX_STUCK_AFTER)
                .filter(pk=pk)
                .update(
                    status=OutboxStatus.SENDING,
                    claimed_at=now,
                    claim_token=token,
                    attempts=models.F("attempts") + 1,
                )
            )
            if updated:
                claims.append((pk, token))
        return claims


def _build(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message.message_id},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for item in message.attachments:
        email.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    return email


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after ``attempts`` failed tries: 1, 2, 4, 8 … minutes."""
    return min(OUTBOX_BACKOFF_BASE * (2 ** max(attempts - 1, 0)), OUTBOX_BACKOFF_MAX)


def _send_one(pk: uuid.UUID, token: uuid.UUID) -> str:
    """Send one claimed message; return its new status."""
    message = OutboxMessage.objects.get(pk=pk)
    claimed = OutboxMessage.objects.filter(pk=pk, claim_token=token, status=OutboxStatus.SENDING)
    try:
        _build(message).send(using="default")
    except Exception as exc:  # SMTP, DNS, socket, bad address: all retried the same way
        now = timezone.now()
        if message.attempts >= OUTBOX_MAX_ATTEMPTS:
            # Never tried again: its secrets have no use left in the row.
            claimed.update(
                status=OutboxStatus.FAILED, last_error=repr(exc)[:2000], **_redaction(message, now)
            )
            return OutboxStatus.FAILED
        retry_at = now + backoff(message.attempts)
        claimed.update(
            status=OutboxStatus.PENDING,
            next_attempt_at=retry_at,
            claimed_at=None,
            claim_token=None,
            last_error=repr(exc)[:2000],
        )
        request_delivery(run_after=retry_at)
        return OutboxStatus.PENDING
    # One update: the message is marked sent and loses its secrets at the same moment (and
    # only when its claim still holds, so a stale worker never redacts another's retry).
    now = timezone.now()
    claimed.update(status=OutboxStatus.SENT, sent_at=now, last_error="", **_redaction(message, now))
    return OutboxStatus.SENT


def deliver_pending(now: datetime | None = None, limit: int = OUTBOX_BATCH) -> dict[str, int]:
    """Send the due messages once each; return how many were sent, retried, failed."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for pk, token in _claim(now, limit):
        outcome = _send_one(pk, token)
        key = {"sent": "sent", "pending": "retry"}.get(str(outcome), "failed")
        counts[key] += 1
    return counts


@task
def deliver_outbox() -> dict[str, int]:
    """The background task (run by ``manage.py db_worker``): deliver until nothing is due."""
    total = {"sent": 0, "retry": 0, "failed": 0}
    while True:
        counts = deliver_pending()
        for key, value in counts.items():
            total[key] += value
        if not any(counts.values()):
            return total
