"""Reading published snapshots in the reader's language (plain text, autoescaped)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from arki.methods.models import MethodSetting, TargetGroup, localized

register = template.Library()

PARTS = {
    "texts": _("texts"),
    "age_min": _("ages"),
    "age_max": _("ages"),
    "target_groups": _("for whom"),
    "settings": _("settings"),
    "sessions": _("number of sessions"),
    "duration": _("duration"),
    "training": _("training"),
    "tags": _("phenomena and tags"),
    "evidence_level": _("evidence"),
    "evidence_studies": _("evidence"),
    "references": _("sources"),
    "ratings": _("ratings in other registries"),
    "tenant": _("publisher"),
    "slug": _("address"),
}
CHOICES = {"target": dict(TargetGroup.choices), "setting": dict(MethodSetting.choices)}


@register.simple_tag
def snapshot_text(snapshot: dict[str, Any]) -> dict[str, str]:
    return localized(snapshot.get("texts") or {}) or {}


@register.simple_tag
def level_name(level: dict[str, Any] | None) -> str:
    if not level:
        return str(_("not evaluated"))
    return str(localized(level.get("names") or {}) or level.get("code", ""))


@register.simple_tag
def choice_label(kind: str, code: str) -> str:
    return str(CHOICES.get(kind, {}).get(code, code))


@register.simple_tag
def part_label(key: str) -> str:
    return str(PARTS.get(key, key))
