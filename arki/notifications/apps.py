from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "arki.notifications"
    verbose_name = _("email outbox")

    def ready(self) -> None:
        from arki.core.registry import register_nav_item

        register_nav_item(_("Outbox"), "notifications:outbox", "notifications.outbox:view", 95)
