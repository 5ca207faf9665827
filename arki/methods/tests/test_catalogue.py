"""The catalogue's rules: inclusion, translations, the workflow and its versions, ratings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arki.audit.models import AuditEvent
from arki.core.exceptions import DomainError, InvalidTransitionError
from arki.methods import selectors, services
from arki.methods.lt import SLUG as LT_SLUG
from arki.methods.lt import lt_method_load
from arki.methods.models import (
    EvidenceLevel,
    ExternalRating,
    MethodStatus,
    MethodText,
    MethodVersion,
    RatingRegistry,
)

pytestmark = pytest.mark.django_db


def test_a_method_failing_an_inclusion_criterion_is_not_published(catalogue):
    method = catalogue.draft()
    services.inclusion_record(
        actor=catalogue.editor,
        method=method,
        inclusion_goal=True,
        inclusion_under_18=True,
        inclusion_theory=False,
        inclusion_training=True,
        inclusion_ethics=True,
    )
    services.method_submit(actor=catalogue.editor, method=method)
    with pytest.raises(DomainError, match="scientific theory"):
        services.method_publish(actor=catalogue.editor, method=method)
    method.refresh_from_db()
    assert method.published_version == 0
    assert not MethodVersion.objects.exists()


def test_an_unchecked_method_is_not_published(catalogue):
    method = services.method_save(actor=catalogue.editor, tenant=catalogue.world.tenant, slug="x")
    services.method_texts_save(
        actor=catalogue.editor,
        method=method,
        texts={c: {"name": "N", "summary": "S"} for c in ("fi", "sv", "en", "da")},
    )
    services.method_submit(actor=catalogue.editor, method=method)
    with pytest.raises(DomainError, match="have not been checked"):
        services.method_publish(actor=catalogue.editor, method=method)


def test_a_missing_translation_blocks_publishing(catalogue):
    method = catalogue.draft()
    services.method_texts_save(
        actor=catalogue.editor, method=method, texts={"da": {"name": "", "summary": ""}}
    )
    assert not MethodText.objects.filter(method=method, language="da").exists()
    services.method_submit(actor=catalogue.editor, method=method)
    with pytest.raises(DomainError, match="da"):
        services.method_publish(actor=catalogue.editor, method=method)


def test_a_name_without_a_description_is_refused(catalogue):
    method = catalogue.draft()
    with pytest.raises(DomainError):
        services.method_texts_save(
            actor=catalogue.editor, method=method, texts={"sv": {"name": "Klubb", "summary": ""}}
        )
    assert MethodText.objects.get(method=method, language="sv").summary == "Kuvaus sv"


def test_publishing_needs_review_first(catalogue):
    method = catalogue.draft()
    with pytest.raises(InvalidTransitionError):
        services.method_publish(actor=catalogue.editor, method=method)


def test_versions_are_kept_and_the_public_sees_the_published_one(catalogue):
    method = catalogue.published()
    tenant = catalogue.world.tenant
    services.method_save(
        actor=catalogue.editor, tenant=tenant, method=method, age_min=3, age_max=15
    )
    method.refresh_from_db()
    assert method.status == MethodStatus.DRAFT
    # The public still sees version 1 while version 2 is a draft.
    assert selectors.public_version(tenant, method.slug).snapshot["age_max"] == 12
    services.method_submit(actor=catalogue.editor, method=method)
    with pytest.raises(DomainError, match="what changed"):
        services.method_publish(actor=catalogue.editor, method=method)
    version = services.method_publish(
        actor=catalogue.editor, method=method, change_note="Up to age 15."
    )
    assert version.number == 2
    assert selectors.public_version(tenant, method.slug).snapshot["age_max"] == 15
    assert selectors.public_version(tenant, method.slug, 1).snapshot["age_max"] == 12
    assert list(method.versions.values_list("number", flat=True)) == [2, 1]


def test_an_archived_method_leaves_the_public_catalogue_and_cannot_be_edited(catalogue):
    method = catalogue.published()
    services.method_archive(actor=catalogue.editor, method=method)
    assert selectors.public_version(catalogue.world.tenant, method.slug) is None
    with pytest.raises(InvalidTransitionError):
        services.method_save(
            actor=catalogue.editor, tenant=catalogue.world.tenant, method=method, age_max=10
        )


def test_a_rating_stays_on_the_registrys_own_scale(catalogue):
    method = catalogue.draft()
    cebc = RatingRegistry.objects.get(code="cebc")
    with pytest.raises(DomainError):
        services.rating_add(
            actor=catalogue.editor,
            method=method,
            registry=cebc,
            value="moderate",
            rated_on=date(2025, 1, 1),
        )
    rating = services.rating_add(
        actor=catalogue.editor, method=method, registry=cebc, value="NR", rated_on=date(2024, 3, 1)
    )
    assert rating.value == "NR"
    assert rating.review_due_on == date(2024, 3, 1) + timedelta(days=730)
    assert list(selectors.ratings_due(catalogue.world.tenant.pk)) == [rating]


def test_a_rating_not_yet_due_is_not_listed(catalogue):
    method = catalogue.draft()
    services.rating_add(
        actor=catalogue.editor,
        method=method,
        registry=RatingRegistry.objects.get(code="blueprints"),
        value="Model",
        rated_on=date.today() - timedelta(days=30),
    )
    assert not selectors.ratings_due(catalogue.world.tenant.pk).exists()


def test_every_write_is_audited(catalogue):
    catalogue.published()
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "methods.method.saved",
        "methods.inclusion.recorded",
        "methods.method.submitted",
        "methods.method.published",
    } <= codes


def test_lt_is_loaded_with_its_published_rating_and_study(world):
    method = lt_method_load(actor=None, tenant=world.tenant)
    assert method.slug == LT_SLUG
    assert method.published_version == 1
    assert method.evidence_level == EvidenceLevel.objects.get(code="moderate")
    rating = ExternalRating.objects.get(method=method)
    assert (rating.registry.code, rating.value) == ("kasvuntuki", "moderate")
    assert rating.source.startswith("https://kasvuntuki.fi/")
    snapshot = selectors.public_version(world.tenant, LT_SLUG).snapshot
    assert snapshot["references"][0]["doi"] == "10.1007/s00787-010-0135-3"
    assert snapshot["evidence_studies"] == [snapshot["references"][0]["id"]]
    assert set(snapshot["texts"]) == {"fi", "sv", "en", "da"}
    # Loading again keeps the one there.
    assert lt_method_load(actor=None, tenant=world.tenant) == method
