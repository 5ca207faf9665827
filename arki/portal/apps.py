from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "arki.portal"
    verbose_name = _("family portal")

    def ready(self) -> None:
        from arki.audit.registry import register_actions
        from arki.core.registry import register_home_panel, register_occasion_ended
        from arki.meetings.panels import register_meeting_section
        from arki.people.panels import register_child_panel

        from .panels import child_panel, home_panel, meeting_preparation
        from .services import feedback_invite_guardians

        register_actions(
            {
                "portal.link.created": _("sent a family portal link"),
                "portal.link.revoked": _("closed a family portal link"),
                "portal.link.code_failed": _("gave a wrong code for a family portal link"),
                "portal.session.started": _("opened the family portal"),
                "portal.session.ended": _("left the family portal"),
                "portal.child.viewed": _("viewed the family's page in the portal"),
                "portal.access_log.viewed": _("viewed who has seen the family's data"),
                "portal.preparation.saved": _("saved the preparation answers"),
                "portal.preparation.viewed": _("viewed the family's preparation answers"),
            }
        )
        register_child_panel("portal/_child_panel.html", child_panel)
        register_meeting_section("meeting_preparation", meeting_preparation)
        register_home_panel("portal/_home_panel.html", home_panel, order=30)
        # The family feedback link once a discussion closes or a network meeting is held.
        register_occasion_ended(feedback_invite_guardians)
