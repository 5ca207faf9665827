"""Reads of the directory and of consultation requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Consultation, DirectoryEntry, DirectoryEntryText

RESULT_LIMIT = 100


def search_entries(
    *,
    tenant_id: Any,
    query: str = "",
    sector: str = "",
    area_id: Any = None,
    unit_id: Any = None,
    include_inactive: bool = False,
) -> list[DirectoryEntry]:
    """Entries whose name or texts in any language contain every word of ``query``."""
    entries = DirectoryEntry.objects.in_tenant(tenant_id)
    if not include_inactive:
        entries = entries.active()
    for word in query.split()[:10]:
        texts = DirectoryEntryText.objects.filter(entry=OuterRef("pk")).filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(expertise__icontains=word)
        )
        entries = entries.filter(
            Q(search_text__contains=word.casefold()) | Q(name__icontains=word) | Exists(texts)
        )
    if sector:
        entries = entries.filter(sector=sector)
    if area_id:
        entries = entries.filter(area_id=area_id)
    if unit_id:
        entries = entries.filter(unit_id=unit_id)
    return list(
        entries.select_related("unit", "area", "user").prefetch_related("texts")[:RESULT_LIMIT]
    )


def entries_of_tenant(tenant_id: Any) -> QuerySet[DirectoryEntry]:
    """The tenant's directory entries (for its directory managers)."""
    return DirectoryEntry.objects.in_tenant(tenant_id)


def with_texts(entries: list[DirectoryEntry], language: str) -> list[tuple[DirectoryEntry, Any]]:
    """Pair each entry with its text in the reader's language (fallback Finnish)."""
    return [(entry, entry.text_for(language)) for entry in entries]


def inbox(user: Any, membership: Any) -> list[Consultation]:
    return list(
        Consultation.objects.addressed_to(user, membership)
        .select_related("entry", "sender", "sender_unit")
        .order_by("status", "-sent_at")[:200]
    )


def waiting_count(user: Any, membership: Any) -> int:
    """How many requests to the user (``Consultation.objects.addressed_to``) wait for an
    answer: one ``COUNT``."""
    if membership is None:
        return 0
    return Consultation.objects.addressed_to(user, membership).filter(status="sent").count()


def sent_by(user: Any) -> list[Consultation]:
    return list(Consultation.objects.sent_by(user).select_related("entry", "answered_by")[:200])


def about_child(child: Any) -> list[Consultation]:
    """The consultation requests sent about the child, newest first: one query."""
    return list(child.consultations.select_related("entry", "sender", "answered_by"))


def consultation_for_participant(user: Any, membership: Any, pk: Any) -> Consultation | None:
    """The request if the user sent it or receives it (in the current tenant); else None."""
    if membership is None:
        return None
    mine = Consultation.objects.addressed_to(user, membership) | Consultation.objects.filter(
        sender=user, tenant_id=membership.tenant_id
    )
    try:
        return mine.select_related("entry", "sender", "sender_unit", "answered_by").get(pk=pk)
    except (Consultation.DoesNotExist, ValueError):
        return None


def is_receiver(user: Any, membership: Any, consultation: Consultation) -> bool:
    return Consultation.objects.addressed_to(user, membership).filter(pk=consultation.pk).exists()


def answer_times(
    *, tenant_id: Any, since: datetime | None = None, until: datetime | None = None
) -> list[dict[str, Any]]:
    """Per request: sector and kind of the receiver, sent and answered time, hours to answer
    (None if not answered). No child or worker identifiers: for indicators."""
    requests = Consultation.objects.filter(tenant_id=tenant_id)
    if since is not None:
        requests = requests.filter(sent_at__gte=since)
    if until is not None:
        requests = requests.filter(sent_at__lt=until)
    rows = []
    for sent_at, answered_at, sector, kind in requests.values_list(
        "sent_at", "answered_at", "entry__sector", "entry__kind"
    ).order_by("sent_at"):
        hours = (answered_at - sent_at).total_seconds() / 3600 if answered_at else None
        rows.append(
            {
                "sector": sector,
                "entry_kind": kind,
                "sent_at": sent_at,
                "answered_at": answered_at,
                "hours_to_answer": hours,
            }
        )
    return rows
