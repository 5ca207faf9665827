from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from arki.portal import services
from arki.portal.models import CodeDelivery


def issue(world: Any, *, guardian: Any = None, code_delivery: str = CodeDelivery.NONE, **kw):
    """A link for the world's guardian (or another), issued by the responsible worker."""
    return services.link_issue(
        actor=world.worker,
        child=kw.pop("child", world.child),
        guardian=guardian if guardian is not None else world.guardian,
        code_delivery=code_delivery,
        **kw,
    )


def open_portal(token: str, code: str = "", client: Client | None = None) -> Client:
    """A browser that opened the link: GET the confirm page, then POST it."""
    client = client or Client()
    client.get(f"/portal/open/{token}/")
    client.post(f"/portal/open/{token}/", {"code": code} if code else {})
    return client


@pytest.fixture
def portal_client(world):
    """The world's guardian in the portal."""
    issued = issue(world)
    client = open_portal(issued.token)
    client.issued = issued  # type: ignore[attr-defined]
    return client
