"""Reads of the outbox for the staff status page (no bodies: they can hold personal data)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from .models import OutboxMessage

PAGE_SIZE = 100


def outbox_status_counts(*, tenant_id: Any) -> dict[str, int]:
    rows = OutboxMessage.objects.for_tenant(tenant_id).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def outbox_messages(*, tenant_id: Any, status: str = "") -> list[OutboxMessage]:
    messages = OutboxMessage.objects.for_tenant(tenant_id).only(
        "pk",
        "created_at",
        "kind",
        "to",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    if status:
        messages = messages.filter(status=status)
    return list(messages.order_by("-created_at")[:PAGE_SIZE])
