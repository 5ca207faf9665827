from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "arki.indicators"
    verbose_name = _("indicators")

    def ready(self) -> None:
        from arki.audit.registry import register_actions
        from arki.core.registry import register_nav_item

        register_actions(
            {
                "indicators.exported": _("exported the indicators"),
                "indicators.referrals.saved": _("saved child protection referral figures"),
            }
        )
        register_nav_item(_("Indicators"), "indicators:dashboard", "indicators.dashboard:view", 70)
        register_nav_item(
            _("Referral figures"), "indicators:referrals", "indicators.data:manage", 71
        )
