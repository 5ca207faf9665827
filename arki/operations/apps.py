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

        register_actions({"operations.tenant.set_up": _("set up the tenant from a file")})

        from .metrics import ArkiCollector

        if not any(isinstance(c, ArkiCollector) for c in REGISTRY._collector_to_names):
            REGISTRY.register(ArkiCollector())
