from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "arki.directory"
    verbose_name = _("directory and consultations")

    def ready(self) -> None:
        from arki.audit.registry import register_actions
        from arki.core.registry import register_home_panel, register_nav_item
        from arki.people.panels import register_child_panel

        from .panels import child_consultations_panel, home_waiting_requests_panel

        register_actions(
            {
                "directory.entry.saved": _("saved a directory entry"),
                "directory.consultation.sent": _("sent a consultation request"),
                "directory.consultation.viewed": _("viewed a consultation request"),
                "directory.consultation.answered": _("answered a consultation request"),
                "directory.consultation.closed": _("closed a consultation request"),
            }
        )
        register_nav_item(_("Directory"), "directory:search", "directory.directory:view", 40)
        register_nav_item(
            _("Consultations"), "directory:inbox", "directory.consultation:answer", 41
        )
        register_child_panel("directory/_child_panel.html", child_consultations_panel)
        register_home_panel("directory/_home_panel.html", home_waiting_requests_panel, order=20)
