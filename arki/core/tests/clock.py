"""A test's clock set to a chosen instant: ``timezone.now()`` (and through it
``timezone.localdate``, the ``initial`` of the date fields) starts there and runs on."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone


def freeze_now(monkeypatch: pytest.MonkeyPatch, instant: datetime) -> None:
    """From now on ``timezone.now()`` is ``instant`` plus the time that has passed since
    (``localtime`` and ``localdate`` look ``now`` up in their module when called)."""
    real_now = timezone.now
    started = real_now()
    monkeypatch.setattr(timezone, "now", lambda: instant + (real_now() - started))
