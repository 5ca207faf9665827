from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "arki.accounts"
    verbose_name = _("accounts")

    def ready(self) -> None:
        from arki.audit.registry import register_actions, register_labels

        from .models import Role

        register_labels("role", dict(Role.choices))

        register_actions(
            {
                "accounts.totp.started": _("started pairing an authenticator app"),
                "accounts.totp.confirmed": _("confirmed an authenticator app for two-step login"),
                "accounts.second_factor.verified": _("verified the login with a one-time code"),
                "accounts.password.changed": _("changed their password"),
            }
        )
