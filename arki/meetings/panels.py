"""The meetings' sections on the child's page and the home page, and the sections other apps
add to a network meeting's page (the family's preparation, from the portal)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from arki.accounts.models import QualificationKind

from . import reports, selectors


def child_panel(request: Any, access: Any) -> dict[str, Any] | None:
    if not access.is_full_case:
        # An invitee sees only the reports the family's consent lets them read.
        readable = reports.consented_reports(
            request.user, selectors.meetings_for_child(access.child)
        )
        return {"consented_reports": readable} if readable else None
    return {
        "meetings": selectors.meetings_for_child(access.child),
        "can_plan": request.user.has_qualification(QualificationKind.NETWORK_MEETING),
    }


def scope_checker(user: Any, child: Any, scope: str) -> bool:
    return selectors.has_consent(user, child, scope)


def home_panel(request: Any) -> dict[str, Any] | None:
    """On the home page: the open network meetings of the user's children, and who chairs."""
    meetings = selectors.open_meetings_for(request.user)
    if not meetings and not request.user.has_qualification(QualificationKind.NETWORK_MEETING):
        return None
    return {"meetings": meetings, "user_id": request.user.pk}


# Sections other apps add to a network meeting's page: a context name and a function
# (request, access, meeting) -> the section's context, or None to leave it out. Registered in
# the app's ``AppConfig.ready()`` (the portal adds ``meeting_preparation``).
MeetingSection = Callable[[Any, Any, Any], dict[str, Any] | None]
MEETING_SECTIONS: dict[str, MeetingSection] = {}


def register_meeting_section(name: str, context: MeetingSection) -> None:
    MEETING_SECTIONS.setdefault(name, context)


def meeting_sections(request: Any, access: Any, meeting: Any) -> dict[str, Any]:
    """Each registered section's context by its name (None for a section left out)."""
    return {name: context(request, access, meeting) for name, context in MEETING_SECTIONS.items()}
