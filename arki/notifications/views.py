from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from arki.accounts.access import require_permission

from . import selectors
from .models import OutboxStatus


def outbox(request: HttpRequest) -> HttpResponse:
    """Delivery status of the tenant's emails, without subjects or bodies."""
    membership = require_permission(request, "notifications.outbox:view")
    status = request.GET.get("status", "")
    if status not in OutboxStatus.values:
        status = ""
    counts = selectors.outbox_status_counts(tenant_id=membership.tenant_id)
    context = {
        "status_rows": [
            (value, label, counts.get(value, 0)) for value, label in OutboxStatus.choices
        ],
        "messages_": selectors.outbox_messages(tenant_id=membership.tenant_id, status=status),
        "statuses": OutboxStatus.choices,
        "status": status,
    }
    return render(request, "notifications/outbox.html", context)
