from __future__ import annotations

import base64
from uuid import UUID

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from arki.core.exceptions import DomainError

from . import selectors, services
from .access import staff_user
from .middleware import SESSION_KEY
from .models import User


class OTPCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Enter the six digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


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
    user = request.user
    membership = (
        selectors.active_membership_of(user, chosen) if chosen and isinstance(user, User) else None
    )
    if membership is None:
        messages.error(request, _("That role is not available to you."))
    else:
        request.session[SESSION_KEY] = str(membership.pk)
    return redirect("home")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


def otp_setup(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app: scan the code (or type the key), then confirm with a code."""
    user = staff_user(request)
    try:
        device = services.totp_device_start(actor=user)
    except services.TOTPAlreadyConfirmedError:
        return redirect(f"{reverse('accounts:otp_verify')}?next={_safe_next(request)}")
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(actor=user, device=device, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", str(exc.message))
        else:
            otp_login(request, device)
            messages.success(request, _("The authenticator app is now in use."))
            return redirect(_safe_next(request))
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1b1f24")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": mark_safe(qr),  # noqa: S308 - generated SVG, no user input
            "next": _safe_next(request),
        },
    )


def otp_verify(request: HttpRequest) -> HttpResponse:
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(
                actor=staff_user(request),
                code=form.cleaned_data["code"],
            )
        except DomainError as exc:
            form.add_error("code", str(exc.message))
        else:
            otp_login(request, device)
            return redirect(_safe_next(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})


def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password: the old one, then the new one twice. The other sessions of
    the account end; this one stays logged in."""
    user = staff_user(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(actor=user, new_password=form.cleaned_data["new_password1"])
        except DomainError as exc:
            form.add_error("new_password1", str(exc.message))
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})
