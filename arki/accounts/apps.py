from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "arki.accounts"
    verbose_name = _("accounts")

    def ready(self) -> None:
        from arki.audit.registry import register_actions, register_labels
        from arki.core.registry import register_nav_item

        from .models import Role

        register_labels("role", dict(Role.choices))
        register_nav_item(
            _("Sign-in groups"), "accounts:group_mappings", "accounts.group_mapping:manage", 92
        )

        register_actions(
            {
                "accounts.totp.started": _("started pairing an authenticator app"),
                "accounts.totp.confirmed": _("confirmed an authenticator app for two-step login"),
                "accounts.second_factor.verified": _("verified the login with a one-time code"),
                "accounts.password.changed": _("changed their password"),
                "accounts.sso.login": _("signed in through the organisation's identity service"),
                "accounts.sso.failed": _("a sign-in through the identity service was refused"),
                "accounts.membership.granted_by_mapping": _(
                    "a group at the identity service gave a role"
                ),
                "accounts.membership.ended_by_mapping": _(
                    "a role given by a group at the identity service ended"
                ),
                "accounts.group_mapping.created": _("mapped an identity service group to a role"),
                "accounts.group_mapping.deleted": _("removed a group mapping"),
            }
        )
