"""Who acts in the portal besides a guardian (a ``people.Guardian`` acts as itself)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from arki.people.models import Child


@dataclass(frozen=True)
class ChildActor:
    """A child using the portal, as the audit log names them."""

    child: Child
    audit_role = "child"

    @property
    def audit_label(self) -> str:
        return str(self.child)

    @property
    def pk(self) -> Any:
        return self.child.pk
