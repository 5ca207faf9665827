"""Shared model bases: UUID primary keys, timestamps, optimistic locking."""

from __future__ import annotations

import uuid

from django.conf import settings
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


class Submission(BaseModel):
    """One submitted create form (``arki.core.submissions``): its one-time token, unique, and
    where the record it created is, so that the same form sent again (a double click, a
    reload) leads there instead of creating the record twice."""

    token = models.UUIDField(_("submission"), unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    created_url = models.CharField(_("created record"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return str(self.token)
