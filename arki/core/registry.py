"""Places where apps plug into shared pages without editing them.

- ``register_nav_item``: a link in the main navigation, shown when the current role has the
  permission (or always, with ``perm=None``).
- ``register_home_panel``: a section on the worker's home page; its context function gets the
  request and returns a dict, or ``None`` to leave the panel out.

Apps call these in ``AppConfig.ready()``. The child's page has its own panel registry in
``arki.people.panels``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: Promise | str
    url_name: str
    perm: str | None
    order: int


NAV_ITEMS: list[NavItem] = []
HOME_PANELS: list[tuple[int, str, Callable[[Any], dict[str, Any] | None]]] = []


def register_nav_item(
    label: Promise | str, url_name: str, perm: str | None, order: int = 50
) -> None:
    if all(item.url_name != url_name for item in NAV_ITEMS):
        NAV_ITEMS.append(NavItem(label, url_name, perm, order))
        NAV_ITEMS.sort(key=lambda item: item.order)


def register_home_panel(
    template_name: str, context: Callable[[Any], dict[str, Any] | None], order: int = 50
) -> None:
    if all(panel[1] != template_name for panel in HOME_PANELS):
        HOME_PANELS.append((order, template_name, context))
        HOME_PANELS.sort(key=lambda panel: panel[0])


def nav_items_for(perms: frozenset[str]) -> list[NavItem]:
    return [item for item in NAV_ITEMS if item.perm is None or item.perm in perms]


def home_panels_for(request: Any) -> list[dict[str, Any]]:
    panels = []
    for _order, template_name, context in HOME_PANELS:
        data = context(request)
        if data is not None:
            panels.append({"template": template_name, **data})
    return panels


# -- what happens when a family's occasion ends ---------------------------------------------
# An LT discussion closed or a network meeting held: the apps above (the portal's family
# feedback invitation) register a handler here, so that discussions and meetings need not
# import them. Each handler is called inside the service's transaction with keyword arguments
# actor, child, unit, context_kind ("discussion" | "meeting"), source and on (the date).
OCCASION_ENDED_HANDLERS: list[Callable[..., object]] = []


def register_occasion_ended(handler: Callable[..., object]) -> None:
    if handler not in OCCASION_ENDED_HANDLERS:
        OCCASION_ENDED_HANDLERS.append(handler)


def occasion_ended(**occasion: object) -> None:
    for handler in OCCASION_ENDED_HANDLERS:
        handler(**occasion)
