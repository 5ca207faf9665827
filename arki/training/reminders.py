"""Refresher reminders: the worker and their unit managers get one email per due date.

Idempotent twice over: a ``RefresherReminder`` row per person, due date and recipient, and the
outbox's ``dedupe_key`` built from the same three things.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from arki.audit import services as audit
from arki.notifications.services import enqueue_email
from arki.organisations.models import Tenant

from . import rules, selectors
from .models import RefresherReminder


def _remind(*, tenant: Tenant, state: selectors.RefresherState, recipient: Any) -> bool:
    assert state.due_on is not None
    if RefresherReminder.objects.filter(
        user=state.user, due_on=state.due_on, recipient=recipient
    ).exists():
        return False
    language = recipient.preferred_language or tenant.default_language or "fi"
    with translation.override(language):
        context = {
            "person": state.user,
            "recipient": recipient,
            "due_on": state.due_on,
            "is_self": recipient.pk == state.user.pk,
            "url": settings.SITE_URL.rstrip("/") + reverse("training:my_training"),
        }
        subject = _("Refresher training due: %(name)s") % {"name": state.user.get_full_name()}
        body = render_to_string("training/email/refresher_reminder.txt", context)
    enqueue_email(
        to=recipient.email,
        subject=subject,
        body_text=body,
        kind="training.refresher_reminder",
        language=language,
        tenant_id=tenant.pk,
        dedupe_key=f"training.refresher:{state.user.pk}:{state.due_on.isoformat()}:{recipient.pk}",
    )
    RefresherReminder.objects.create(user=state.user, due_on=state.due_on, recipient=recipient)
    audit.record(
        None,
        "training.refresher.reminded",
        subjects=[state.user],
        tenant_id=tenant.pk,
        recipient=recipient.email,
        detail={"due_on": state.due_on.isoformat()},
    )
    return True


@transaction.atomic
def send_refresher_reminders(*, tenant: Tenant, today: date) -> int:
    """Remind everyone whose refresher is due or falls due within ``DUE_SOON_DAYS``, and their
    unit managers. Returns the number of emails queued now (0 on a second run)."""
    sent = 0
    horizon = today + timedelta(days=rules.DUE_SOON_DAYS)
    for state in selectors.refresher_states(tenant.pk, today):
        if state.due_on is None or state.due_on > horizon:
            continue
        recipients = [state.user, *selectors.managers_of(state.user, tenant.pk)]
        for recipient in recipients:
            if recipient.email and _remind(tenant=tenant, state=state, recipient=recipient):
                sent += 1
    return sent
