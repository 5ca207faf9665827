from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "arki.discussions"
    verbose_name = _("LT discussions")

    def ready(self) -> None:
        from arki.audit.registry import register_actions
        from arki.core.registry import register_home_panel
        from arki.people.panels import register_child_panel

        from . import panels

        register_actions(
            {
                "discussions.discussion.viewed": _("viewed the LT discussion"),
                "discussions.discussion.offered": _("offered an LT discussion"),
                "discussions.discussion.accepted": _(
                    "recorded that the family accepted the LT discussion"
                ),
                "discussions.discussion.declined": _(
                    "recorded that the family declined the LT discussion"
                ),
                "discussions.discussion.session_added": _("recorded a discussion session"),
                "discussions.discussion.observation_added": _("added a strength or vulnerability"),
                "discussions.discussion.observation_removed": _(
                    "removed a strength or vulnerability"
                ),
                "discussions.discussion.note_saved": _("saved working notes"),
                "discussions.discussion.action_added": _("added an action plan item"),
                "discussions.discussion.action_updated": _("updated an action plan item"),
                "discussions.discussion.action_removed": _("removed an action plan item"),
                "discussions.discussion.summary_saved": _("saved the agreed summary"),
                "discussions.discussion.closed": _("closed the LT discussion"),
                "discussions.discussion.notes_purged": _("deleted the working notes on schedule"),
                "discussions.plan.printed": _("printed the action plan"),
                "discussions.logbook.printed": _("printed the log book questions"),
                "discussions.dates.exported": _("exported the dates of LT discussions"),
            }
        )
        register_child_panel("discussions/_child_panel.html", panels.child_panel)
        register_home_panel("discussions/_home_panel.html", panels.home_panel, order=10)
