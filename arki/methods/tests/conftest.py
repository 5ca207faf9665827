from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from arki.accounts.models import Role
from arki.core.tests.factories import MembershipFactory, UserFactory
from arki.methods import services
from arki.methods.models import Method, MethodStatus


@dataclass
class Catalogue:
    world: Any
    editor: Any
    reviewer_a: Any
    reviewer_b: Any
    leader: Any

    def draft(self, slug: str = "kids-club", **overrides: Any) -> Method:
        """A complete draft: texts in all four languages, every inclusion criterion met."""
        fields = {
            "age_min": 3,
            "age_max": 12,
            "target_groups": ["child", "parents"],
            "service_settings": ["ecec", "school"],
            "training_languages": ["fi", "en"],
            "tags": ["loneliness"],
            **overrides,
        }
        method = services.method_save(
            actor=self.editor, tenant=self.world.tenant, slug=slug, **fields
        )
        services.method_texts_save(
            actor=self.editor,
            method=method,
            texts={
                code: {"name": f"Kerho {code}", "summary": f"Kuvaus {code}"}
                for code in ("fi", "sv", "en", "da")
            },
        )
        services.inclusion_record(
            actor=self.editor,
            method=method,
            inclusion_goal=True,
            inclusion_under_18=True,
            inclusion_theory=True,
            inclusion_training=True,
            inclusion_ethics=True,
        )
        return method

    def published(self, slug: str = "kids-club", **overrides: Any) -> Method:
        method = self.draft(slug, **overrides)
        services.method_submit(actor=self.editor, method=method)
        services.method_publish(actor=self.editor, method=method)
        method.refresh_from_db()
        assert method.status == MethodStatus.PUBLISHED
        return method


@pytest.fixture
def catalogue(world) -> Catalogue:
    def member(role: str, username: str) -> Any:
        user = UserFactory(username=username)
        MembershipFactory(user=user, unit=world.unit, role=role)
        return user

    return Catalogue(
        world=world,
        editor=world.coordinator,
        reviewer_a=member(Role.COORDINATOR, "reviewer-a"),
        reviewer_b=member(Role.COORDINATOR, "reviewer-b"),
        leader=member(Role.LEADERSHIP, "leader"),
    )


@pytest.fixture(autouse=True)
def english():
    """The services' messages are asserted in English (the pages default to Finnish)."""
    from django.utils import translation

    with translation.override("en"):
        yield
