from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running Arki: health and readiness, metrics, request ids in the logs, tenant setup."""

    name = "arki.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from prometheus_client import REGISTRY

        from arki.audit.registry import register_actions
        from arki.core.registry import register_nav_item

        register_actions(
            {
                "operations.tenant.set_up": _("set up the tenant from a file"),
                "operations.retention.applied": _("deleted or anonymised records (retention)"),
                "operations.retention.audit_purged": _(
                    "deleted audit events past the retention period"
                ),
                "operations.retention.rule_changed": _("changed a retention period"),
            }
        )
        register_nav_item(
            _("Retention"), "operations:retention", "operations.retention:manage", order=92
        )

        from .metrics import ArkiCollector

        if not any(isinstance(c, ArkiCollector) for c in REGISTRY._collector_to_names):
            REGISTRY.register(ArkiCollector())
