"""The consent texts the family reads in the portal, versioned.

The version string is recorded with each consent (``Consent.text_version``), so it is always
possible to show exactly what the family agreed to. Never edit a published version: add a new
one and point ``CURRENT_VERSION`` at it.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CURRENT_VERSION = "portal-2026-11"

TEXTS: dict[str, dict[str, Promise]] = {
    "portal-2026-11": {
        "attend": _(
            "I agree that %(name)s takes part in our network meeting and hears what we talk "
            "about there."
        ),
        "action_plan": _(
            "I agree that %(name)s may see the action plan: who does what, and by when."
        ),
        "meeting_report": _("I agree that %(name)s gets the report (minutes) of the meeting."),
        "discussion_summary": _(
            "I agree that %(name)s may see the agreed summary of our discussion."
        ),
    },
}

WITHDRAW_NOTE = _(
    "You can withdraw your consent at any time, here or by telling your worker. It takes "
    "effect at once; what was already shared stays with the person who got it."
)


def consent_text(scope: str, name: str, version: str = CURRENT_VERSION) -> str:
    """The text of one consent, for one person, in the active language."""
    template = TEXTS.get(version, {}).get(scope)
    if template is None:
        return ""
    return str(template) % {"name": name}
