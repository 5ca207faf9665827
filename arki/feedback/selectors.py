"""Reads of family feedback: counts per item with small-cell suppression (SECURITY.md 20).

``feedback_summary`` is the one entry point; the indicator dashboard reuses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from .models import Choice, FeedbackAnswer, FeedbackResponse, Question, QuestionKind, QuestionSet

SMALL_CELL = 5


@dataclass(frozen=True)
class FeedbackFilters:
    period_from: date | None = None  # months, inclusive
    period_to: date | None = None
    area_id: Any = None
    unit_id: Any = None
    sector: str = ""
    context_kind: str = ""


@dataclass(frozen=True)
class Cell:
    choice: str
    count: int | None  # None when suppressed (1–4 answers)
    percent: float | None

    @property
    def display(self) -> str:
        if self.count is None:
            return f"<{SMALL_CELL}"
        return f"{self.count} ({self.percent:.0f} %)" if self.percent is not None else "0"


@dataclass(frozen=True)
class ItemSummary:
    key: str
    text: str
    n: int | None  # answers to this item; None when fewer than SMALL_CELL
    cells: list[Cell] = field(default_factory=list)

    @property
    def n_display(self) -> str:
        return f"<{SMALL_CELL}" if self.n is None else str(self.n)


@dataclass(frozen=True)
class FeedbackSummary:
    n: int | None  # responses matching the filters; None when fewer than SMALL_CELL
    items: list[ItemSummary]
    comments: list[str]  # free texts, alphabetical, only when n >= SMALL_CELL

    @property
    def n_display(self) -> str:
        return f"<{SMALL_CELL}" if self.n is None else str(self.n)


def _suppress(count: int) -> int | None:
    return None if 0 < count < SMALL_CELL else count


def responses(*, tenant: Any, filters: FeedbackFilters) -> QuerySet[FeedbackResponse]:
    qs = FeedbackResponse.objects.filter(tenant=tenant)
    if filters.period_from:
        qs = qs.filter(period__gte=filters.period_from.replace(day=1))
    if filters.period_to:
        qs = qs.filter(period__lte=filters.period_to.replace(day=1))
    if filters.area_id:
        qs = qs.filter(area_id=filters.area_id)
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.context_kind:
        qs = qs.filter(context_kind=filters.context_kind)
    return qs


def feedback_summary(*, tenant: Any, filters: FeedbackFilters | None = None) -> FeedbackSummary:
    """N and % per item (yes / partly / no / can't say) for the responses matching ``filters``.
    Items are matched across question set versions by their key; texts come from the tenant's
    current set. Counts of 1–4 are suppressed (shown as "<5"); with fewer than 5 responses
    everything is, and free texts are left out."""
    filters = filters or FeedbackFilters()
    matching = responses(tenant=tenant, filters=filters)
    total = matching.count()
    current = QuestionSet.objects.current_for(tenant)
    questions = list(current.questions.all()) if current else []
    rows = (
        FeedbackAnswer.objects.filter(response__in=matching, question__kind=QuestionKind.CHOICE)
        .values("question__key", "choice")
        .annotate(count=Count("id"))
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["question__key"], {})[row["choice"]] = row["count"]
    items = []
    for question in questions:
        if question.kind != QuestionKind.CHOICE:
            continue
        per_choice = counts.get(question.key, {})
        n = sum(per_choice.values())
        if n < SMALL_CELL:
            cells = [Cell(c.value, None if n else 0, None) for c in Choice]
            items.append(ItemSummary(question.key, question.text(), 0 if n == 0 else None, cells))
            continue
        cells = []
        for choice in Choice:
            count = per_choice.get(choice.value, 0)
            shown = _suppress(count)
            cells.append(Cell(choice.value, shown, 100 * count / n if shown else None))
        items.append(ItemSummary(question.key, question.text(), n, cells))
    comments: list[str] = []
    if total >= SMALL_CELL:
        comments = sorted(
            FeedbackAnswer.objects.filter(response__in=matching, question__kind=QuestionKind.TEXT)
            .exclude(text="")
            .values_list("text", flat=True)
        )
    shown = total if total == 0 or total >= SMALL_CELL else None
    return FeedbackSummary(shown, items, comments)


def current_question_set(tenant: Any) -> QuestionSet | None:
    """The question set the tenant's families answer now (``QuestionSet.objects.current_for``)."""
    return QuestionSet.objects.current_for(tenant)


def questions_of(question_set: QuestionSet | None) -> list[Question]:
    return list(question_set.questions.all()) if question_set else []
