"""Reads of the observations app: querysets and small summaries for the pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .grouping import assign, get_embedder, suggest_groups
from .models import (
    Body,
    Initiative,
    Level,
    Observation,
    Phenomenon,
    PhenomenonEvent,
    PhenomenonStatus,
    TenantObservationSettings,
)

SMALL_CELL = 5  # counts under this are shown as "<5" where they could identify a family


def show_writer(tenant_id: Any) -> bool:
    return TenantObservationSettings.objects.filter(tenant_id=tenant_id, show_writer=True).exists()


def levels(tenant_id: Any) -> QuerySet[Level]:
    return Level.objects.filter(tenant_id=tenant_id).order_by("rank")


def lowest_level(tenant_id: Any) -> Level | None:
    return levels(tenant_id).first()


def bodies(tenant_id: Any) -> QuerySet[Body]:
    return (
        Body.objects.in_tenant(tenant_id)
        .select_related("level", "area", "parent", "coordinator", "facilitator")
        .annotate(member_count=Count("members"))
    )


def my_bodies(user: Any, tenant_id: Any) -> list[Body]:
    return list(
        Body.objects.in_tenant(tenant_id)
        .of_user(user)
        .select_related("level", "parent")
        .order_by("level__rank", "name")
    )


def my_teams(user: Any, tenant_id: Any) -> list[Body]:
    lowest = lowest_level(tenant_id)
    return [b for b in my_bodies(user, tenant_id) if lowest and b.level_id == lowest.pk]


def team_observations(team: Body) -> QuerySet[Observation]:
    return Observation.objects.filter(team=team).select_related(
        "area", "author", "from_body", "phenomenon"
    )


def unassigned_observations(team: Body) -> QuerySet[Observation]:
    """Observations not yet in a phenomenon: what the next team meeting goes through."""
    return team_observations(team).filter(phenomenon__isnull=True).order_by("created_at")


def vectors_for(observations: list[Observation], context: list[Observation] = ()) -> np.ndarray:  # type: ignore[assignment]
    """Vectors of ``observations`` by the configured method: stored ones where the method
    stores them (computing any missing), else embedded now together with ``context``."""
    embedder = get_embedder()
    if embedder.stored:
        missing = [o for o in observations if o.embedding_model != embedder.name]
        if missing:
            vectors = embedder.embed([o.text for o in missing])
            for o, v in zip(missing, vectors, strict=True):
                o.embedding, o.embedding_model = v.astype(np.float32).tobytes(), embedder.name
            Observation.objects.bulk_update(missing, ["embedding", "embedding_model"])
        if not observations:
            return np.zeros((0, 1), dtype=np.float32)
        return np.vstack([o.vector() for o in observations])  # type: ignore[misc]
    texts = [o.text for o in observations] + [o.text for o in context]
    return embedder.embed(texts)[: len(observations)]


@dataclass
class SuggestedGroup:
    number: int
    observations: list[Observation]
    matches: Phenomenon | None = None


def suggested_groups(team: Body, observations: list[Observation]) -> list[SuggestedGroup]:
    """The new observations grouped by similarity; each group with the team's open phenomenon
    it most resembles, if any."""
    if not observations:
        return []
    embedder = get_embedder()
    known = list(
        Observation.objects.filter(
            team=team, phenomenon__isnull=False, phenomenon__merged_into__isnull=True
        ).select_related("phenomenon")
    )
    all_vectors = vectors_for(observations + known)
    new_vectors, known_vectors = all_vectors[: len(observations)], all_vectors[len(observations) :]
    numbers = suggest_groups(new_vectors, embedder.group_distance)
    groups: dict[int, SuggestedGroup] = {}
    for observation, number in zip(observations, numbers, strict=True):
        groups.setdefault(number, SuggestedGroup(number + 1, [])).observations.append(observation)
    if known:
        by_id = {str(o.phenomenon_id): o.phenomenon for o in known}
        labels = [str(o.phenomenon_id) for o in known]
        for group in groups.values():
            indexes = [observations.index(o) for o in group.observations]
            centroid = new_vectors[indexes].mean(axis=0, keepdims=True)
            result = assign(centroid, known_vectors, labels, embedder.assign_threshold)[0]
            if result.group in by_id:
                group.matches = by_id[result.group]
    return [groups[n] for n in sorted(groups)]


def team_phenomena(team: Body) -> QuerySet[Phenomenon]:
    return (
        Phenomenon.objects.filter(team=team, merged_into__isnull=True)
        .select_related("current_body", "current_body__level")
        .annotate(count=Count("observations"))
    )


def monthly_counts(phenomenon: Phenomenon) -> list[tuple[str, int]]:
    """Observations per month (the count over time and its trend)."""
    counts: dict[str, int] = {}
    for created in phenomenon.observations.values_list("created_at", flat=True):
        key = timezone.localtime(created).strftime("%Y-%m")
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items())


def trend(phenomenon: Phenomenon) -> int:
    """Observations in the last 90 days minus the 90 days before."""
    now = timezone.now()
    rows = phenomenon.observations
    recent = rows.filter(created_at__gte=now - timedelta(days=90)).count()
    before = rows.filter(
        created_at__lt=now - timedelta(days=90), created_at__gte=now - timedelta(days=180)
    ).count()
    return recent - before


def timeline(phenomenon: Phenomenon) -> QuerySet[PhenomenonEvent]:
    return phenomenon.events.select_related("body", "to_body", "actor").order_by("created_at")


def arrived_at(body: Body) -> QuerySet[Phenomenon]:
    """What was sent or escalated to the body: waiting here, or handled here before."""
    reached = PhenomenonEvent.objects.filter(to_body=body).values("phenomenon_id")
    return (
        Phenomenon.objects.filter(Q(current_body=body) | Q(pk__in=reached))
        .select_related("team", "current_body", "current_body__level")
        .annotate(count=Count("observations", distinct=True))
        .order_by("-sent_at")
    )


def feedback_for_team(team: Body) -> QuerySet[PhenomenonEvent]:
    """What the levels above decided about the team's phenomena."""
    return (
        PhenomenonEvent.objects.filter(phenomenon__team=team)
        .exclude(body=team)
        .select_related("phenomenon", "body", "to_body")
        .order_by("-created_at")
    )


SUGGESTED_INDICATORS: list[tuple[str, tuple[str, ...]]] = [
    ("discussions_held", ("perhe", "famil", "vanhem", "föräld", "parent")),
    ("network_meetings_held", ("verkosto", "nätverk", "network", "yhteistyö")),
    ("wait_to_network_meeting", ("jono", "odot", "kö", "wait", "väntar")),
    ("child_protection_referrals", ("lastensuojel", "barnskydd", "child protection", "huoli")),
    ("feedback_heard", ("kuul", "hörd", "heard", "palaut")),
]


def suggested_indicators(phenomenon: Phenomenon) -> list[str]:
    text = " ".join(
        [phenomenon.title, phenomenon.description]
        + list(phenomenon.observations.values_list("text", flat=True)[:50])
    ).lower()
    return [code for code, words in SUGGESTED_INDICATORS if any(w in text for w in words)]


@dataclass
class LeadershipRow:
    phenomenon: Phenomenon
    level: str
    area: str
    count: int
    age_days: int
    first_response_days: int | None
    initiatives: list[Initiative] = field(default_factory=list)

    @property
    def count_shown(self) -> str:
        return str(self.count) if self.count >= SMALL_CELL else f"<{SMALL_CELL}"


def leadership_rows(tenant_id: Any, body_ids: set[Any] | None = None) -> list[LeadershipRow]:
    """Phenomena that reached leadership: open first, the longest waiting first."""
    rows = (
        Phenomenon.objects.filter(tenant_id=tenant_id, sent_at__isnull=False)
        .select_related("team", "team__area", "current_body", "current_body__level")
        .prefetch_related("initiatives")
        .annotate(count=Count("observations", distinct=True))
    )
    if body_ids is not None:
        reached = PhenomenonEvent.objects.filter(to_body_id__in=body_ids).values("phenomenon_id")
        rows = rows.filter(Q(current_body_id__in=body_ids) | Q(pk__in=reached))
    now = timezone.now()
    result = []
    for p in rows:
        sent: datetime = p.sent_at  # type: ignore[assignment]
        first = p.first_response_at
        result.append(
            LeadershipRow(
                phenomenon=p,
                level=p.current_body.level.name,
                area=p.team.area.name if p.team.area_id else "",  # type: ignore[union-attr]
                count=p.count,  # type: ignore[attr-defined]
                age_days=(now - sent).days,
                first_response_days=(first - sent).days if first else None,
                initiatives=list(p.initiatives.all()),
            )
        )
    result.sort(key=lambda r: (r.phenomenon.status != PhenomenonStatus.SENT, -r.age_days))
    return result


def open_by_level_and_area(rows: list[LeadershipRow]) -> list[tuple[str, str, int]]:
    """How many phenomena wait at each level in each area (not yet decided)."""
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.phenomenon.status == PhenomenonStatus.SENT:
            key = (row.level, row.area)
            counts[key] = counts.get(key, 0) + 1
    return [(level, area, n) for (level, area), n in sorted(counts.items())]
