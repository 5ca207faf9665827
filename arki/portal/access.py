"""Who is in the portal: the portal session in the request, checked on every request.

Portal visitors are not staff users. Their session holds one key, the id of a
``PortalSession`` row; that row is checked on every request (ended, revoked link, idle, too
old, still a guardian), so the worker's revocation takes effect at the next request. A visitor
reaches only the child of their session: any other child id is 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import timezone

from arki.people.models import Child, Guardian, Guardianship

from .actors import ChildActor
from .models import PortalSession, SessionEnd
from .services import session_end

SESSION_KEY = "arki_portal_session"
LANGUAGE_KEY = "arki_portal_language"


class NoPortalSession(Exception):
    """The request has no live portal session (never had one, or it ended)."""


@dataclass(frozen=True)
class Visitor:
    session: PortalSession
    child: Child
    guardian: Guardian | None

    @property
    def is_child(self) -> bool:
        return self.guardian is None

    @property
    def actor(self) -> Guardian | ChildActor:
        return self.guardian if self.guardian is not None else ChildActor(self.child)

    @property
    def subjects(self) -> list[Any]:
        return [self.child, self.guardian] if self.guardian is not None else [self.child]

    @property
    def preferred_language(self) -> str:
        person = self.guardian if self.guardian is not None else self.child
        return person.preferred_language

    @property
    def basis(self) -> str:
        return "own_data" if self.is_child else "guardian"


def _end(session: PortalSession, reason: str) -> None:
    session_end(session=session, reason=reason)


def current_visitor(request: HttpRequest) -> Visitor | None:
    """The live portal session of this request, or None (ending a stale one on the way)."""
    session_id = request.session.get(SESSION_KEY)
    if not session_id:
        return None
    session = (
        PortalSession.objects.select_related("link", "child", "guardian")
        .filter(pk=session_id)
        .first()
    )
    if session is None or session.ended_at is not None:
        request.session.pop(SESSION_KEY, None)
        return None
    now = timezone.now()
    reason = ""
    if session.link.ended_at is not None:
        reason = SessionEnd.REVOKED
    elif now - session.last_seen_at > timedelta(seconds=settings.SESSION_IDLE_TIMEOUT):
        reason = SessionEnd.IDLE
    elif now - session.started_at > timedelta(seconds=settings.SESSION_COOKIE_AGE):
        reason = SessionEnd.EXPIRED
    elif (
        session.guardian_id
        and not Guardianship.objects.filter(
            guardian_id=session.guardian_id, child_id=session.child_id
        ).exists()
    ):
        reason = SessionEnd.ACCESS_LOST
    if reason:
        _end(session, reason)
        request.session.pop(SESSION_KEY, None)
        return None
    if now - session.last_seen_at >= timedelta(seconds=60):
        PortalSession.objects.filter(pk=session.pk).update(last_seen_at=now)
    return Visitor(session=session, child=session.child, guardian=session.guardian)


def visitor_for_child(request: HttpRequest, child_id: Any) -> Visitor:
    """The visitor if their session is about ``child_id``; 404 for any other child."""
    visitor = current_visitor(request)
    if visitor is None:
        raise NoPortalSession
    if str(visitor.child.pk) != str(child_id):
        raise Http404
    return visitor
