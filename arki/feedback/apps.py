from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "arki.feedback"
    verbose_name = _("family feedback")

    def ready(self) -> None:
        from arki.audit.registry import register_actions
        from arki.core.registry import register_nav_item

        register_nav_item(_("Family feedback"), "feedback:results", "feedback.results:view", 70)
        register_actions(
            {
                "feedback.link.created": _("issued a family feedback link"),
                "feedback.questions.versioned": _("adapted the family feedback questions"),
            }
        )
