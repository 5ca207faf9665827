"""The outbox's background task, under the path that tasks queued before it moved name.

``deliver_outbox`` lives beside the delivery it runs (``services.deliver_outbox``).
"""

from __future__ import annotations

from .services import deliver_outbox

__all__ = ["deliver_outbox"]
