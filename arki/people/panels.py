"""Sections other apps add to the child's page (discussions, meetings, consultations…).

An app registers ``(template_name, context_function)`` in its ``AppConfig.ready()``; the
context function gets the request and the ``ChildAccess`` and returns the panel's context, or
``None`` to leave the panel out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Panel = tuple[str, Callable[[Any, Any], dict[str, Any] | None]]
CHILD_PANELS: list[Panel] = []


def register_child_panel(template_name: str, context: Callable[[Any, Any], dict | None]) -> None:
    if all(existing[0] != template_name for existing in CHILD_PANELS):
        CHILD_PANELS.append((template_name, context))


def render_panels(request: Any, access: Any) -> list[dict[str, Any]]:
    panels = []
    for template_name, context in CHILD_PANELS:
        data = context(request, access)
        if data is not None:
            panels.append({"template": template_name, **data})
    return panels
