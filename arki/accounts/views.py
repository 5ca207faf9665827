from __future__ import annotations

import base64
from typing import Any
from uuid import UUID

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from arki.core.exceptions import DomainError
from arki.core.middleware import public
from arki.organisations.models import Tenant

from . import selectors, services, sso
from .access import require_permission, staff_user
from .backends import REFUSED_ATTR
from .forms import GroupMappingForm
from .middleware import SESSION_KEY
from .models import User

PASSWORD_OFF_MESSAGE = _(
    "Password sign-in is turned off for your organisation. Sign in through your "
    "organisation's identity service with the button on this page."
)


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

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            # The right password of someone whose tenant signs in only through its identity
            # service (``StaffBackend``): say so, since the password was right.
            if getattr(self.request, REFUSED_ATTR, False):
                raise ValidationError(PASSWORD_OFF_MESSAGE, code="password_login_off") from None
            raise


class ArkiLoginView(LoginView):
    """The password form (unless every tenant turned passwords off) and a button for each
    tenant's identity service."""

    template_name = "accounts/login.html"
    authentication_form = ArkiAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_tenants"] = [tenant for tenant, _config in sso.sso_tenants()]
        context["password_offered"] = sso.password_form_offered()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso.password_form_offered():
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, ValidationError(PASSWORD_OFF_MESSAGE, code="password_login_off"))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        return super().post(request, *args, **kwargs)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """End the session; after a single sign-on, also the identity provider's session where
    the provider publishes a logout address."""
    signed_on = request.session.get(sso.SESSION_KEY) or {}
    logout(request)  # flushes the server-side session
    config = sso.provider_config(str(signed_on.get("tenant", ""))) if signed_on else None
    if config is not None:
        back = request.build_absolute_uri(reverse("accounts:login"))
        url = sso.end_session_url(config, str(signed_on.get("id_token", "")), back)
        if url:
            return redirect(url)
    return redirect("accounts:login")


def _sso_tenant(slug: str) -> tuple[Tenant, sso.ProviderConfig]:
    config = sso.provider_config(slug)
    tenant = Tenant.objects.filter(slug=slug).first() if config else None
    if config is None or tenant is None:
        raise Http404
    return tenant, config


def _sso_failed(request: HttpRequest, tenant: Tenant, exc: sso.SSOError) -> HttpResponse:
    services.sso_login_failed(tenant=tenant, reason=exc.reason, request=request)
    return render(
        request, "accounts/sso_error.html", {"message": exc.message, "tenant": tenant}, status=403
    )


@public
@require_POST
def sso_start(request: HttpRequest, slug: str) -> HttpResponse:
    """The login page's button: on to the tenant's identity provider."""
    tenant, config = _sso_tenant(slug)
    request.session["arki_sso_next"] = _safe_next(request)
    callback = request.build_absolute_uri(reverse("accounts:sso_callback", args=[slug]))
    try:
        return sso.authorization_redirect(request, config, callback)
    except sso.SSOError as exc:
        return _sso_failed(request, tenant, exc)


@public
def sso_callback(request: HttpRequest, slug: str) -> HttpResponse:
    """Back from the identity provider: check the tokens, find the user, start the session."""
    tenant, config = _sso_tenant(slug)
    try:
        claims, id_token = sso.callback_claims(request, config)
        result = services.sso_login(tenant=tenant, config=config, claims=claims, request=request)
    except sso.SSOError as exc:
        return _sso_failed(request, tenant, exc)
    target = request.session.get("arki_sso_next") or reverse("home")
    login(request, result.user, backend="arki.accounts.backends.StaffBackend")
    request.session[sso.SESSION_KEY] = {"tenant": slug, "id_token": id_token}
    if result.mfa:
        request.session[sso.MFA_SESSION_KEY] = True
    if not selectors.has_active_membership(result.user):
        messages.info(
            request,
            _(
                "You have signed in, but you have no role in Arki yet. Your organisation's "
                "administrator gives you one."
            ),
        )
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return redirect(target)


def group_mappings(request: HttpRequest) -> HttpResponse:
    """The tenant administrator's list of identity service groups that give roles."""
    membership = require_permission(request, "accounts.group_mapping:manage")
    tenant = membership.tenant
    form = GroupMappingForm(request.POST or None, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_mapping_create(
                actor=staff_user(request),
                tenant=tenant,
                group=form.cleaned_data["group"],
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The group mapping was added."))
            return redirect("accounts:group_mappings")
    return render(
        request,
        "accounts/group_mappings.html",
        {
            "form": form,
            "mappings": selectors.group_mappings_of(tenant),
            "tenant": tenant,
            "sso_configured": sso.provider_config(tenant.slug) is not None,
        },
    )


@require_POST
def group_mapping_delete(request: HttpRequest, pk: UUID) -> HttpResponse:
    membership = require_permission(request, "accounts.group_mapping:manage")
    mapping = get_object_or_404(selectors.group_mappings_of(membership.tenant), pk=pk)
    ended = services.group_mapping_delete(actor=staff_user(request), mapping=mapping)
    messages.success(
        request,
        ngettext(
            "The group mapping was removed; %(count)s role it gave ended.",
            "The group mapping was removed; %(count)s roles it gave ended.",
            ended,
        )
        % {"count": ended},
    )
    return redirect("accounts:group_mappings")


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
