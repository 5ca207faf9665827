from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .middleware import SESSION_KEY
from .models import Membership


class ArkiAuthenticationForm(AuthenticationForm):
    # One message for a wrong password and an unknown user: no account enumeration.
    error_messages = {
        "invalid_login": _("The username or password is incorrect."),
        "inactive": _("The username or password is incorrect."),
    }


class ArkiLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = ArkiAuthenticationForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)  # flushes the server-side session
    return redirect("accounts:login")


@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    try:
        chosen: UUID | None = UUID(request.POST.get("membership", ""))
    except ValueError:
        chosen = None
    membership = (
        Membership.objects.active().filter(user_id=request.user.pk, pk=chosen).first()  # type: ignore[misc]
        if chosen
        else None
    )
    if membership is None:
        messages.error(request, _("That role is not available to you."))
    else:
        request.session[SESSION_KEY] = str(membership.pk)
    return redirect("core:home")
