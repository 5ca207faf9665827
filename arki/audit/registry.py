"""The registry of dotted audit action codes and their translated, plain-language labels.

Each app registers its codes in ``AppConfig.ready()``; ``record()`` refuses unknown codes so
that a typo cannot create an event no report understands. Apps also register the labels of
the values they store in events' ``role`` and ``basis`` (``register_labels``): the audit app
knows no other app's choices.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise

ACTIONS: dict[str, Promise | str] = {}


def register_actions(actions: dict[str, Promise | str]) -> None:
    ACTIONS.update(actions)


def label_for(code: str) -> str:
    return str(ACTIONS.get(code, code))


# Groups: "role" (the role a staff member acted in), "relationship" and "consent" (the detail
# of a basis "relationship:<kind>" or "consent:<scope>").
LABELS: dict[str, dict[str, Promise | str]] = {}


def register_labels(group: str, labels: Mapping[str, Promise | str]) -> None:
    LABELS.setdefault(group, {}).update(labels)


def value_label(group: str, value: str) -> str | None:
    """The registered label of ``value`` in ``group``, or None."""
    label = LABELS.get(group, {}).get(value)
    return None if label is None else str(label)
