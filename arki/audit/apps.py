from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "arki.audit"
    verbose_name = _("audit log")

    def ready(self) -> None:
        from arki.core.registry import register_nav_item

        from .registry import register_actions

        register_actions(
            {
                "audit.log.searched": _("searched the audit log"),
                "audit.child_log.viewed": _("viewed who has seen the child's data"),
            }
        )
        register_nav_item(_("Audit log"), "audit:search", "audit.event:search", order=90)
