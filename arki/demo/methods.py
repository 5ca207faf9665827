"""The demo county's methods catalogue: LT from the public record, linked to the LT courses,
and a handful of clearly fictional example methods in every state of the workflow (no real
method's rating is invented)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from arki.accounts.models import User
from arki.methods import services
from arki.methods.lt import lt_method_load
from arki.methods.models import AppraisalArea, EvidenceLevel, Method, RatingRegistry
from arki.organisations.models import Tenant
from arki.training.models import Course

EXAMPLES: list[dict[str, Any]] = [
    {
        "slug": "example-story-circle",
        "state": "published",
        "names": (
            "Satupiiri (kuvitteellinen esimerkki)",
            "Sagocirkeln (fiktivt exempel)",
            "Story circle (fictional example)",
            "Fortællecirklen (fiktivt eksempel)",
        ),
        "fields": {
            "age_min": 3,
            "age_max": 6,
            "target_groups": ["child", "group"],
            "service_settings": ["ecec"],
            "training_languages": ["fi", "sv"],
            "tags": ["loneliness", "language"],
            "sessions": 8,
        },
        "level": "low",
        "rating": ("eif", "2"),
    },
    {
        "slug": "example-sleep-school",
        "state": "published",
        "names": (
            "Unikoulu perheille (kuvitteellinen esimerkki)",
            "Sömnskola för familjer (fiktivt exempel)",
            "Sleep school for families (fictional example)",
            "Søvnskole for familier (fiktivt eksempel)",
        ),
        "fields": {
            "age_min": 0,
            "age_max": 12,
            "target_groups": ["parents", "family"],
            "service_settings": ["health", "family_work"],
            "training_languages": ["fi", "en"],
            "tags": ["screen-time", "sleep", "exhausted-parents"],
            "sessions": 4,
        },
    },
    {
        "slug": "example-peer-mentors",
        "state": "review",
        "names": (
            "Vertaismentorit (kuvitteellinen esimerkki)",
            "Kamratmentorer (fiktivt exempel)",
            "Peer mentors (fictional example)",
            "Kammeratmentorer (fiktivt eksempel)",
        ),
        "fields": {
            "age_min": 12,
            "age_max": 17,
            "target_groups": ["child"],
            "service_settings": ["school", "ngo"],
            "training_languages": ["fi"],
            "tags": ["bullying", "loneliness"],
        },
    },
    {
        "slug": "example-village-club",
        "state": "draft",
        "names": (
            "Kyläkerho (kuvitteellinen esimerkki)",
            "",
            "Village club (fictional example)",
            "",
        ),
        "fields": {
            "age_min": 6,
            "age_max": 15,
            "target_groups": ["child", "group"],
            "service_settings": ["ngo"],
            "tags": ["rural-leisure"],
        },
    },
    {
        "slug": "example-old-leaflet",
        "state": "archived",
        "names": (
            "Vanha opaslehtinen (kuvitteellinen esimerkki)",
            "Gammal broschyr (fiktivt exempel)",
            "Old leaflet (fictional example)",
            "Gammel folder (fiktivt eksempel)",
        ),
        "fields": {
            "age_min": 0,
            "age_max": 17,
            "target_groups": ["parents"],
            "service_settings": ["health"],
            "tags": ["parenting"],
        },
    },
]


def seed(tenant: Tenant) -> None:
    if Method.objects.in_tenant(tenant.pk).exists():
        return
    coordinator = _acting("coordinator")
    lt = lt_method_load(actor=coordinator, tenant=tenant)
    Course.objects.filter(tenant=tenant).update(method=lt)
    for example in EXAMPLES:
        _example(tenant, coordinator, example)


def _acting(username: str) -> User:
    user = User.objects.get(username=username)
    user.current_membership = user.memberships.first()  # type: ignore[attr-defined]
    return user


def _example(tenant: Tenant, editor: User, example: dict[str, Any]) -> None:
    method = services.method_save(
        actor=editor, tenant=tenant, slug=example["slug"], **example["fields"]
    )
    texts = {}
    for code, name in zip(("fi", "sv", "en", "da"), example["names"], strict=True):
        if name:
            texts[code] = {
                "name": name,
                "summary": {
                    "fi": "Kuvitteellinen esimerkkimenetelmä Arkin esittelyä varten.",
                    "sv": "En fiktiv exempelmetod för att visa Arki.",
                    "en": "A fictional example method to show Arki.",
                    "da": "En fiktiv eksempelmetode til at vise Arki.",
                }[code],
                "goal": "",
            }
    services.method_texts_save(actor=editor, method=method, texts=texts)
    services.inclusion_record(
        actor=editor,
        method=method,
        inclusion_goal=True,
        inclusion_under_18=True,
        inclusion_theory=True,
        inclusion_training=True,
        inclusion_ethics=True,
    )
    if "rating" in example:
        registry, value = example["rating"]
        services.rating_add(
            actor=editor,
            method=method,
            registry=RatingRegistry.objects.get(code=registry),
            value=value,
            rated_on=timezone.localdate() - timedelta(days=800),
        )
    if "level" in example:
        _evaluate(method, EvidenceLevel.objects.get(code=example["level"]))
    if example["state"] in ("published", "review", "archived"):
        services.method_submit(actor=editor, method=method)
    if example["state"] in ("published", "archived"):
        services.method_publish(actor=editor, method=method)
    if example["state"] == "archived":
        services.method_archive(actor=editor, method=method)


def _evaluate(method: Method, level: EvidenceLevel) -> None:
    """Two reviewers (the unit manager and the trainer), approved by the coordinator."""
    coordinator = _acting("coordinator")
    reviewers = [_acting("manager"), _acting("trainer")]
    evaluation = services.evaluation_start(actor=coordinator, method=method)
    study = services.reference_add(
        actor=coordinator,
        method=method,
        citation="Fictional example study, for the demo only (no real publication).",
    )
    for reviewer in reviewers:
        for area in AppraisalArea.objects.all():
            services.appraisal_save(
                actor=reviewer, evaluation=evaluation, area=area, score=2, reasoning="Demo."
            )
    services.evaluation_approve(
        actor=coordinator, evaluation=evaluation, level=level, reasoning="Demo.", studies=[study]
    )
