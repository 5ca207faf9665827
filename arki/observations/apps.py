from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationsConfig(AppConfig):
    name = "arki.observations"
    verbose_name = _("observations and phenomena")

    def ready(self) -> None:
        from arki.audit.registry import register_actions
        from arki.core.registry import register_nav_item

        register_actions(
            {
                "observations.structure.saved": _(
                    "saved a level or a team of the observation structure"
                ),
                "observations.member.added": _("added a member to a team or group"),
                "observations.member.removed": _("removed a member from a team or group"),
                "observations.settings.saved": _("saved the observation settings"),
                "observations.observation.created": _("wrote an observation"),
                "observations.observation.posted_down": _("posted an observation to teams"),
                "observations.observations.viewed": _("read a team's observations"),
                "observations.phenomenon.viewed": _("read a phenomenon's observations"),
                "observations.meeting.opened": _("opened a team meeting"),
                "observations.meeting.closed": _("closed a team meeting"),
                "observations.meeting.printed": _("printed the minutes of a team meeting"),
                "observations.phenomenon.created": _("named a phenomenon"),
                "observations.phenomenon.observations_added": _(
                    "added observations to a phenomenon"
                ),
                "observations.phenomenon.renamed": _("renamed a phenomenon"),
                "observations.phenomenon.merged": _("merged phenomena"),
                "observations.phenomenon.sent": _("sent a phenomenon to a leadership group"),
                "observations.phenomenon.responded": _("responded to a phenomenon"),
                "observations.phenomenon.working_group": _(
                    "named a working group for a phenomenon"
                ),
                "observations.phenomenon.escalated": _("escalated a phenomenon to the next level"),
                "observations.initiative.created": _("decided an initiative"),
                "observations.initiative.updated": _("updated an initiative's status"),
                "observations.leadership.exported": _("exported the leadership view"),
            }
        )
        register_nav_item(
            _("Observations"), "observations:home", "observations.observation:write", 40
        )
        register_nav_item(
            _("Phenomena"), "observations:leadership", "observations.leadership:view", 41
        )
        register_nav_item(
            _("Teams and groups"), "observations:structure", "observations.structure:manage", 42
        )
