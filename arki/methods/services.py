"""Writes of the methods catalogue. Each is one transaction and writes its own audit event.

The catalogue holds no client data: the audit events name the method as their object.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arki.audit import services as audit
from arki.core.exceptions import DomainError, InvalidTransitionError
from arki.organisations.models import Tenant

from . import rules
from .models import (
    INCLUSION_CRITERIA,
    LANGUAGE_CODES,
    Appraisal,
    AppraisalArea,
    AreaResolution,
    Evaluation,
    EvaluationStatus,
    EvidenceLevel,
    ExternalRating,
    Method,
    MethodStatus,
    MethodText,
    MethodVersion,
    RatingRegistry,
    Reference,
)

RE_REVIEW_AFTER = timedelta(days=730)  # two years, the default for a registry's rating

METHOD_FIELDS = (
    "age_min",
    "age_max",
    "target_groups",
    "service_settings",
    "sessions",
    "duration",
    "training_provider",
    "training_length",
    "training_languages",
    "training_prerequisites",
    "trainer_network",
    "tags",
)
TEXT_FIELDS = ("name", "summary", "goal", "theory", "delivery", "costs", "ethics")


class MethodError(DomainError):
    pass


def _editable(method: Method) -> None:
    if method.status == MethodStatus.ARCHIVED:
        raise InvalidTransitionError(_("An archived method cannot be edited."))


def _back_to_draft(method: Method) -> None:
    """An edit of a method in review or published starts its next version as a draft."""
    if method.status in (MethodStatus.REVIEW, MethodStatus.PUBLISHED):
        method.status = MethodStatus.DRAFT


@transaction.atomic
def method_save(
    *, actor: Any, tenant: Tenant, method: Method | None = None, slug: str = "", **fields: Any
) -> Method:
    unknown = set(fields) - set(METHOD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown method fields: {sorted(unknown)}")
    if method is None:
        if Method.objects.in_tenant(tenant.pk).filter(slug=slug).exists():
            raise MethodError(_("A method with this address name exists already."))
        method = Method(tenant=tenant, slug=slug)
    else:
        _editable(method)
        _back_to_draft(method)
    for name, value in fields.items():
        setattr(method, name, value)
    if method.age_min > method.age_max:
        raise MethodError(_("The youngest age must not be above the oldest."))
    method.save()
    audit.record(actor, "methods.method.saved", obj=method, tenant_id=tenant.pk)
    return method


@transaction.atomic
def method_texts_save(*, actor: Any, method: Method, texts: dict[str, dict[str, str]]) -> None:
    """Save the texts per language; a language whose name and summary are both empty is
    removed (its translation is then missing, which blocks publishing)."""
    _editable(method)
    for language, values in texts.items():
        if language not in LANGUAGE_CODES:
            raise MethodError(_("Unknown language."))
        values = {key: (values.get(key) or "").strip() for key in TEXT_FIELDS}
        if not any(values.values()):
            MethodText.objects.filter(method=method, language=language).delete()
            continue
        if not values["name"] or not values["summary"]:
            raise MethodError(_("Each language needs a name and a short description."))
        MethodText.objects.update_or_create(method=method, language=language, defaults=values)
    _back_to_draft(method)
    method.save()
    audit.record(actor, "methods.method.saved", obj=method, tenant_id=method.tenant_id)


@transaction.atomic
def inclusion_record(*, actor: Any, method: Method, **criteria: bool) -> Method:
    fields = {field for field, _label in INCLUSION_CRITERIA}
    if set(criteria) != fields:
        raise TypeError("Every inclusion criterion must be answered.")
    _editable(method)
    for name, value in criteria.items():
        setattr(method, name, bool(value))
    method.inclusion_checked_by = actor
    method.inclusion_checked_at = timezone.now()
    method.save()
    audit.record(
        actor,
        "methods.inclusion.recorded",
        obj=method,
        tenant_id=method.tenant_id,
        detail={"criteria": {name: bool(value) for name, value in criteria.items()}},
    )
    return method


@transaction.atomic
def reference_add(
    *, actor: Any, method: Method, citation: str, doi: str = "", url: str = ""
) -> Reference:
    _editable(method)
    if not citation.strip():
        raise MethodError(_("Write the reference."))
    reference = Reference.objects.create(
        method=method, citation=citation.strip(), doi=doi.strip(), url=url
    )
    audit.record(actor, "methods.reference.added", obj=method, tenant_id=method.tenant_id)
    return reference


@transaction.atomic
def reference_remove(*, actor: Any, reference: Reference) -> None:
    method = reference.method
    _editable(method)
    if reference.evaluations.filter(status=EvaluationStatus.APPROVED).exists():
        raise MethodError(_("An approved evaluation rests on this study; it cannot be removed."))
    reference.delete()
    audit.record(actor, "methods.reference.removed", obj=method, tenant_id=method.tenant_id)


@transaction.atomic
def rating_add(
    *,
    actor: Any,
    method: Method,
    registry: RatingRegistry,
    value: str,
    rated_on: date,
    review_due_on: date | None = None,
    source: str = "",
) -> ExternalRating:
    if value not in registry.scale:
        raise MethodError(_("This value is not on the registry's own scale."))
    if rated_on > timezone.localdate():
        raise MethodError(_("The rating date cannot be in the future."))
    due = review_due_on or rated_on + RE_REVIEW_AFTER
    if due <= rated_on:
        raise MethodError(_("The review date must come after the rating date."))
    rating = ExternalRating.objects.create(
        method=method,
        registry=registry,
        value=value,
        rated_on=rated_on,
        review_due_on=due,
        source=source,
    )
    audit.record(
        actor,
        "methods.rating.added",
        obj=method,
        tenant_id=method.tenant_id,
        detail={"registry": registry.code, "value": value},
    )
    return rating


@transaction.atomic
def method_submit(*, actor: Any, method: Method) -> Method:
    if method.status != MethodStatus.DRAFT:
        raise InvalidTransitionError(_("Only a draft can be sent for review."))
    method.status = MethodStatus.REVIEW
    method.save(update_fields=["status", "updated_at"])
    audit.record(actor, "methods.method.submitted", obj=method, tenant_id=method.tenant_id)
    return method


@transaction.atomic
def method_publish(*, actor: Any, method: Method, change_note: str = "") -> MethodVersion:
    method = Method.objects.select_for_update().get(pk=method.pk)
    if method.status != MethodStatus.REVIEW:
        raise InvalidTransitionError(_("Only a method in review can be published."))
    problems = rules.publishing_problems(method)
    if problems:
        raise MethodError(" ".join(str(problem) for problem in problems))
    if method.published_version and not change_note.strip():
        raise MethodError(_("Say what changed since the previous version."))
    method.published_version += 1
    method.status = MethodStatus.PUBLISHED
    method.save(update_fields=["published_version", "status", "updated_at"])
    version = MethodVersion.objects.create(
        method=method,
        number=method.published_version,
        published_at=timezone.now(),
        published_by=actor,
        change_note=change_note.strip(),
        snapshot=rules.snapshot(method),
    )
    audit.record(
        actor,
        "methods.method.published",
        obj=method,
        tenant_id=method.tenant_id,
        detail={"version": version.number},
    )
    return version


@transaction.atomic
def method_archive(*, actor: Any, method: Method) -> Method:
    if method.status == MethodStatus.ARCHIVED:
        raise InvalidTransitionError(_("The method is archived already."))
    method.status = MethodStatus.ARCHIVED
    method.save(update_fields=["status", "updated_at"])
    audit.record(actor, "methods.method.archived", obj=method, tenant_id=method.tenant_id)
    return method


@transaction.atomic
def method_restore(*, actor: Any, method: Method) -> Method:
    if method.status != MethodStatus.ARCHIVED:
        raise InvalidTransitionError(_("Only an archived method can be restored."))
    method.status = MethodStatus.DRAFT
    method.save(update_fields=["status", "updated_at"])
    audit.record(actor, "methods.method.restored", obj=method, tenant_id=method.tenant_id)
    return method


# Evaluation -------------------------------------------------------------------------------


@transaction.atomic
def evaluation_start(*, actor: Any, method: Method) -> Evaluation:
    if method.evaluations.filter(status=EvaluationStatus.OPEN).exists():
        raise MethodError(_("The method is being appraised already."))
    evaluation = Evaluation.objects.create(method=method)
    audit.record(actor, "methods.evaluation.started", obj=method, tenant_id=method.tenant_id)
    return evaluation


def _open(evaluation: Evaluation) -> None:
    if evaluation.status != EvaluationStatus.OPEN:
        raise InvalidTransitionError(_("An approved evaluation cannot be changed."))


@transaction.atomic
def appraisal_save(
    *, actor: Any, evaluation: Evaluation, area: AppraisalArea, score: int, reasoning: str
) -> Appraisal:
    _open(evaluation)
    if not 0 <= score <= area.max_score:
        raise MethodError(_("The score must be between 0 and %(max)s.") % {"max": area.max_score})
    if not reasoning.strip():
        raise MethodError(_("Give the reasoning for the score."))
    reviewers = set(evaluation.appraisals.values_list("reviewer_id", flat=True))
    if actor.pk not in reviewers and len(reviewers) >= rules.REVIEWERS:
        raise MethodError(_("Two reviewers appraise the method already."))
    appraisal, _created = Appraisal.objects.update_or_create(
        evaluation=evaluation,
        reviewer=actor,
        area=area,
        defaults={"score": score, "reasoning": reasoning.strip()},
    )
    audit.record(
        actor,
        "methods.appraisal.saved",
        obj=evaluation.method,
        tenant_id=evaluation.method.tenant_id,
        detail={"area": area.code, "score": score},
    )
    return appraisal


@transaction.atomic
def resolution_save(
    *, actor: Any, evaluation: Evaluation, area: AppraisalArea, score: int, reasoning: str
) -> AreaResolution:
    _open(evaluation)
    if area.code not in rules.disagreements(evaluation):
        raise MethodError(_("The reviewers agree on this area; there is nothing to resolve."))
    if not 0 <= score <= area.max_score:
        raise MethodError(_("The score must be between 0 and %(max)s.") % {"max": area.max_score})
    if not reasoning.strip():
        raise MethodError(_("Say how the disagreement was resolved."))
    resolution, _created = AreaResolution.objects.update_or_create(
        evaluation=evaluation,
        area=area,
        defaults={"score": score, "reasoning": reasoning.strip(), "resolved_by": actor},
    )
    audit.record(
        actor,
        "methods.disagreement.resolved",
        obj=evaluation.method,
        tenant_id=evaluation.method.tenant_id,
        detail={"area": area.code, "score": score},
    )
    return resolution


@transaction.atomic
def evaluation_approve(
    *,
    actor: Any,
    evaluation: Evaluation,
    level: EvidenceLevel,
    reasoning: str,
    studies: list[Reference],
) -> Evaluation:
    _open(evaluation)
    method = evaluation.method
    if actor.pk in set(evaluation.appraisals.values_list("reviewer_id", flat=True)):
        raise MethodError(_("A reviewer cannot approve their own evaluation."))
    problems = rules.approval_problems(evaluation, level, studies)
    if problems:
        raise MethodError(" ".join(str(problem) for problem in problems))
    if not reasoning.strip():
        raise MethodError(_("Give the reasoning for the level."))
    evaluation.level = level
    evaluation.reasoning = reasoning.strip()
    evaluation.status = EvaluationStatus.APPROVED
    evaluation.approved_by = actor
    evaluation.approved_at = timezone.now()
    evaluation.save()
    evaluation.studies.set(studies)
    method.evidence_level = level
    _back_to_draft(method)
    method.save(update_fields=["evidence_level", "status", "updated_at"])
    audit.record(
        actor,
        "methods.evaluation.approved",
        obj=method,
        tenant_id=method.tenant_id,
        detail={"level": level.code},
    )
    return evaluation
