from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "arki.calendars"
    verbose_name = _("shared calendar time")

    def ready(self) -> None:
        from arki.audit.registry import register_actions
        from arki.core.registry import register_nav_item

        register_nav_item(_("My calendar"), "calendars:my_calendar", None, 62)
        register_nav_item(_("Common times"), "calendars:slots", "calendars.slot:publish", 63)
        register_actions(
            {
                "calendars.busy.added": _("marked a busy time in their calendar"),
                "calendars.busy.deleted": _("removed a busy time from their calendar"),
                "calendars.busy.imported": _("imported their calendar file"),
                "calendars.busy.cleared": _("removed their imported busy times"),
                "calendars.busy.purged": _("deleted past busy times (retention)"),
                "calendars.slot.published": _("published a common time for network meetings"),
                "calendars.slot.removed": _("removed a common time for network meetings"),
                "calendars.meeting_times.viewed": _("looked for a time for the network meeting"),
            }
        )
