"""The registry of dotted audit action codes and their translated, plain-language labels.

Each app registers its codes in ``AppConfig.ready()``; ``record()`` refuses unknown codes so
that a typo cannot create an event no report understands.
"""

from __future__ import annotations

from django.utils.functional import Promise

ACTIONS: dict[str, Promise | str] = {}


def register_actions(actions: dict[str, Promise | str]) -> None:
    ACTIONS.update(actions)


def label_for(code: str) -> str:
    return str(ACTIONS.get(code, code))
