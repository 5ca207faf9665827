"""Shared model bases: UUID primary keys, timestamps, optimistic locking."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every Arki record: a UUID primary key (the only identifier in URLs) and timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(BaseModel):
    """A record two people may edit at once: saves carry the version they started from."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True
