"""Reads about children and families, always through ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Child


def my_children(user: Any) -> QuerySet[Child]:
    return Child.objects.visible_to(user).order_by("last_name", "first_name")


def guardians_of(child: Child):
    return child.guardians.order_by("last_name", "first_name")
