"""Optimistic locking: a save succeeds only if the row still has the version the editor saw."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from .exceptions import ConflictError
from .models import VersionedModel


def save_versioned(
    instance: VersionedModel, *, expected_version: int | None, **changes: Any
) -> None:
    """Apply ``changes`` if the stored version equals ``expected_version``; bump the version.

    ``expected_version=None`` means the caller did not load the record for editing (a service
    acting on the current row) and skips the check but still bumps the version.
    """
    model = type(instance)
    qs = model._default_manager.filter(pk=instance.pk)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    updated = qs.update(version=F("version") + 1, **changes)
    if updated != 1:
        raise ConflictError()
    instance.refresh_from_db()
