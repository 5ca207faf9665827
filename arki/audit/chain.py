"""The audit log's hash chain: what one link covers.

Kept apart from the services so that the sealing job and the verification compute a link the
same way. The content is canonical JSON (sorted keys, UTC ISO times, ids as text) so that the
same event gives the same digest on SQLite and PostgreSQL and after a restore.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from .models import AuditEvent

GENESIS = "0" * 64


def chain_of(tenant_id: Any) -> str:
    return str(tenant_id) if tenant_id else ""


def event_digest(event: AuditEvent, subjects: Iterable[tuple[str, Any]], previous: str) -> str:
    content = {
        "id": str(event.pk),
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "tenant": chain_of(event.tenant_id),
        "actor": str(event.actor_id or ""),
        "actor_label": event.actor_label,
        "role": event.role,
        "unit": str(event.unit_id or ""),
        "unit_label": event.unit_label,
        "action": event.action,
        "basis": event.basis,
        "object": [event.object_type, str(event.object_id or "")],
        "disclosure": bool(event.is_disclosure),
        "recipient": event.recipient,
        "ip": event.ip_address or "",
        "detail": event.detail,
        "subjects": sorted(f"{kind}:{pk}" for kind, pk in subjects),
    }
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{payload}".encode()).hexdigest()
