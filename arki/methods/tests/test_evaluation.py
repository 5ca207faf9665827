"""The evaluation: two reviewers, disagreements resolved, the cumulative scale, approval."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arki.core.exceptions import DomainError
from arki.methods import rules, services
from arki.methods.models import AppraisalArea, EvidenceLevel

pytestmark = pytest.mark.django_db


def _score_all(catalogue, evaluation, scores_a, scores_b):
    for area in AppraisalArea.objects.all():
        services.appraisal_save(
            actor=catalogue.reviewer_a,
            evaluation=evaluation,
            area=area,
            score=scores_a[area.code],
            reasoning="A",
        )
        services.appraisal_save(
            actor=catalogue.reviewer_b,
            evaluation=evaluation,
            area=area,
            score=scores_b[area.code],
            reasoning="B",
        )


FULL = {"description": 3, "theory": 3, "effectiveness": 2, "implementation": 2}


def test_levels_are_cumulative():
    moderate = EvidenceLevel.objects.get(code="moderate")
    assert rules.unmet_requirements(moderate, FULL) == []
    # Moderate evidence without a theoretical basis is not "moderate" on a cumulative scale.
    assert rules.unmet_requirements(moderate, {**FULL, "theory": 1}) == ["theory"]
    strong = EvidenceLevel.objects.get(code="strong")
    assert rules.unmet_requirements(strong, FULL) == ["effectiveness"]
    # "Negative effects" stands outside the ladder: it needs only its own evidence.
    negative = EvidenceLevel.objects.get(code="negative")
    assert rules.unmet_requirements(negative, {**FULL, "description": 0, "theory": 0}) == []


@settings(max_examples=40, deadline=None)
@given(st.fixed_dictionaries({code: st.integers(0, 3) for code in FULL}))
def test_a_supported_level_implies_every_lower_level(scores):
    supported = {level.code for level in rules.supported_levels(scores)}
    ladder = list(EvidenceLevel.objects.filter(rank__gt=0).order_by("rank"))
    for index, level in enumerate(ladder):
        if level.code in supported:
            assert {lower.code for lower in ladder[:index]} <= supported


def test_two_reviewers_a_resolved_disagreement_and_a_third_approver(catalogue):
    method = catalogue.draft()
    evaluation = services.evaluation_start(actor=catalogue.editor, method=method)
    _score_all(catalogue, evaluation, FULL, {**FULL, "effectiveness": 1})
    assert rules.disagreements(evaluation) == {"effectiveness"}
    moderate = EvidenceLevel.objects.get(code="moderate")
    study = services.reference_add(actor=catalogue.editor, method=method, citation="RCT 2020")
    # A third reviewer is refused.
    with pytest.raises(DomainError, match="Two reviewers"):
        services.appraisal_save(
            actor=catalogue.editor,
            evaluation=evaluation,
            area=AppraisalArea.objects.get(code="theory"),
            score=1,
            reasoning="C",
        )
    # Not approvable while the disagreement stands.
    with pytest.raises(DomainError, match="resolved"):
        services.evaluation_approve(
            actor=catalogue.editor,
            evaluation=evaluation,
            level=moderate,
            reasoning="r",
            studies=[study],
        )
    services.resolution_save(
        actor=catalogue.reviewer_a,
        evaluation=evaluation,
        area=AppraisalArea.objects.get(code="effectiveness"),
        score=2,
        reasoning="Agreed: 2.",
    )
    # A reviewer cannot approve their own evaluation.
    with pytest.raises(DomainError, match="own evaluation"):
        services.evaluation_approve(
            actor=catalogue.reviewer_b,
            evaluation=evaluation,
            level=moderate,
            reasoning="r",
            studies=[study],
        )
    # Effect levels rest on named studies.
    with pytest.raises(DomainError, match="studies"):
        services.evaluation_approve(
            actor=catalogue.editor,
            evaluation=evaluation,
            level=moderate,
            reasoning="r",
            studies=[],
        )
    with pytest.raises(DomainError, match="do not support"):
        services.evaluation_approve(
            actor=catalogue.editor,
            evaluation=evaluation,
            level=EvidenceLevel.objects.get(code="strong"),
            reasoning="r",
            studies=[study],
        )
    services.evaluation_approve(
        actor=catalogue.editor,
        evaluation=evaluation,
        level=moderate,
        reasoning="r",
        studies=[study],
    )
    method.refresh_from_db()
    assert method.evidence_level == moderate
    with pytest.raises(DomainError):
        services.appraisal_save(
            actor=catalogue.reviewer_a,
            evaluation=evaluation,
            area=AppraisalArea.objects.get(code="theory"),
            score=0,
            reasoning="late",
        )


def test_there_is_nothing_to_resolve_where_reviewers_agree(catalogue):
    method = catalogue.draft()
    evaluation = services.evaluation_start(actor=catalogue.editor, method=method)
    _score_all(catalogue, evaluation, FULL, FULL)
    with pytest.raises(DomainError, match="nothing to resolve"):
        services.resolution_save(
            actor=catalogue.reviewer_a,
            evaluation=evaluation,
            area=AppraisalArea.objects.get(code="theory"),
            score=1,
            reasoning="x",
        )


def test_a_score_above_the_areas_maximum_is_refused(catalogue):
    method = catalogue.draft()
    evaluation = services.evaluation_start(actor=catalogue.editor, method=method)
    with pytest.raises(DomainError):
        services.appraisal_save(
            actor=catalogue.reviewer_a,
            evaluation=evaluation,
            area=AppraisalArea.objects.get(code="theory"),
            score=4,
            reasoning="x",
        )
