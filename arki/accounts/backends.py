"""The password backend: Django's model backend, refusing the passwords of staff whose tenant
signs them in only through its identity provider (``ARKI_OIDC_<TENANT>_PASSWORD_LOGIN=0``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import User
from .sso import password_login_allowed

# Set on the request when a right password was refused because of the tenant's rule, so that
# the login form can say why (as django-axes marks a locked-out request).
REFUSED_ATTR = "arki_password_login_refused"


class StaffBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if isinstance(user, User) and not password_login_allowed(user):
            if request is not None:
                setattr(request, REFUSED_ATTR, True)
            return None
        return user
