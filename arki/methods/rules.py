"""The catalogue's rules, applied to the handbook's data (appraisal areas and evidence levels).

Pure functions over the models: which scores the reviewers agree on, whether a level is
supported by them on the cumulative scale, and what stops a method from being published.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import (
    LANGUAGE_CODES,
    AppraisalArea,
    Evaluation,
    EvidenceLevel,
    Method,
    Reference,
)

REVIEWERS = 2


def reviewer_scores(evaluation: Evaluation) -> dict[str, dict[Any, int]]:
    """{area code: {reviewer id: score}}."""
    scores: dict[str, dict[Any, int]] = {}
    for appraisal in evaluation.appraisals.select_related("area"):
        scores.setdefault(appraisal.area.code, {})[appraisal.reviewer_id] = appraisal.score
    return scores


def disagreements(evaluation: Evaluation) -> set[str]:
    """Areas both reviewers scored, differently."""
    return {
        code
        for code, by_reviewer in reviewer_scores(evaluation).items()
        if len(by_reviewer) == REVIEWERS and len(set(by_reviewer.values())) > 1
    }


def agreed_scores(evaluation: Evaluation) -> dict[str, int | None]:
    """Each area's agreed score: the reviewers' common score, or the resolution's; ``None``
    while either reviewer has not scored it or a disagreement is unresolved."""
    resolved = {r.area.code: r.score for r in evaluation.resolutions.select_related("area")}
    agreed: dict[str, int | None] = {}
    scores = reviewer_scores(evaluation)
    for area in AppraisalArea.objects.all():
        by_reviewer = scores.get(area.code, {})
        if len(by_reviewer) < REVIEWERS:
            agreed[area.code] = None
        elif len(set(by_reviewer.values())) == 1:
            agreed[area.code] = next(iter(by_reviewer.values()))
        else:
            agreed[area.code] = resolved.get(area.code)
    return agreed


def levels_required(level: EvidenceLevel) -> list[EvidenceLevel]:
    """The levels whose requirements ``level`` must meet: on the cumulative ladder every level
    up to it; outside the ladder only itself."""
    if not level.is_cumulative:
        return [level]
    return list(EvidenceLevel.objects.filter(rank__gt=0, rank__lte=level.rank).order_by("rank"))


def unmet_requirements(level: EvidenceLevel, scores: dict[str, int | None]) -> list[str]:
    """Area codes whose agreed score is below what ``level`` (cumulatively) requires."""
    unmet: list[str] = []
    for required_level in levels_required(level):
        for code, minimum in required_level.requires.items():
            score = scores.get(code)
            if (score is None or score < int(minimum)) and code not in unmet:
                unmet.append(code)
    return unmet


def supported_levels(scores: dict[str, int | None]) -> list[EvidenceLevel]:
    return [level for level in EvidenceLevel.objects.all() if not unmet_requirements(level, scores)]


def approval_problems(
    evaluation: Evaluation, level: EvidenceLevel, studies: list[Reference]
) -> list[Any]:
    problems: list[Any] = []
    scores = agreed_scores(evaluation)
    if any(score is None for score in scores.values()):
        problems.append(
            _("Both reviewers must score every area, and every disagreement must be resolved.")
        )
        return problems
    unmet = unmet_requirements(level, scores)
    if unmet:
        names = {area.code: area.name for area in AppraisalArea.objects.all()}
        problems.append(
            _("The agreed scores do not support this level (%(areas)s).")
            % {"areas": ", ".join(str(names.get(code, code)) for code in unmet)}
        )
    if any(ref.method_id != evaluation.method_id for ref in studies):
        problems.append(_("The studies must be the method's own references."))
    if "effectiveness" in level.requires and not studies:
        problems.append(_("Name the studies the level rests on."))
    return problems


def publishing_problems(method: Method) -> list[Any]:
    problems: list[Any] = list(
        _("Inclusion criterion not met: %(criterion)s") % {"criterion": label}
        for label in method.inclusion_failures()
    )
    if method.inclusion_checked_at is None:
        problems.insert(0, _("The inclusion criteria have not been checked."))
    languages = set(method.texts.values_list("language", flat=True))
    missing = [code for code in LANGUAGE_CODES if code not in languages]
    if missing:
        problems.append(
            _("The name and short description are missing in: %(languages)s.")
            % {"languages": ", ".join(missing)}
        )
    return problems


def snapshot(method: Method) -> dict[str, Any]:
    """The whole method as the public sees it, for a published version (JSON)."""
    level = method.evidence_level
    evaluation = method.evaluations.filter(level=level, approved_at__isnull=False).first()
    return {
        "slug": method.slug,
        "tenant": method.tenant.name,
        "texts": {
            text.language: {
                "name": text.name,
                "summary": text.summary,
                "goal": text.goal,
                "theory": text.theory,
                "delivery": text.delivery,
                "costs": text.costs,
                "ethics": text.ethics,
            }
            for text in method.texts.all()
        },
        "age_min": method.age_min,
        "age_max": method.age_max,
        "target_groups": list(method.target_groups),
        "settings": list(method.service_settings),
        "sessions": method.sessions,
        "duration": method.duration,
        "training": {
            "provider": method.training_provider,
            "length": method.training_length,
            "languages": list(method.training_languages),
            "prerequisites": method.training_prerequisites,
            "trainer_network": method.trainer_network,
        },
        "tags": list(method.tags),
        "evidence_level": (
            {"code": level.code, "rank": level.rank, "names": level.names} if level else None
        ),
        "evidence_studies": (
            [str(ref.pk) for ref in evaluation.studies.all()] if evaluation is not None else []
        ),
        "references": [
            {"id": str(ref.pk), "citation": ref.citation, "doi": ref.doi, "url": ref.url}
            for ref in method.references.all()
        ],
        "ratings": [
            {
                "registry": rating.registry.name,
                "registry_code": rating.registry.code,
                "value": rating.value,
                "rated_on": rating.rated_on.isoformat(),
                "review_due_on": rating.review_due_on.isoformat(),
            }
            for rating in method.ratings.select_related("registry")
        ],
    }


def changed_fields(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Top-level keys of a snapshot that differ between two versions."""
    return sorted(
        key for key in set(previous) | set(current) if previous.get(key) != current.get(key)
    )
