from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MethodsConfig(AppConfig):
    name = "arki.methods"
    verbose_name = _("methods catalogue")

    def ready(self) -> None:
        from arki.audit.registry import register_actions
        from arki.core.registry import register_nav_item

        register_actions(
            {
                "methods.method.saved": _("saved a method in the catalogue"),
                "methods.method.submitted": _("sent a method for review"),
                "methods.method.published": _("published a version of a method"),
                "methods.method.archived": _("archived a method"),
                "methods.method.restored": _("restored an archived method"),
                "methods.inclusion.recorded": _("recorded a method's inclusion check"),
                "methods.reference.added": _("added a reference to a method"),
                "methods.reference.removed": _("removed a reference from a method"),
                "methods.rating.added": _("added another registry's rating of a method"),
                "methods.evaluation.started": _("started an evaluation of a method"),
                "methods.appraisal.saved": _("appraised an area of a method"),
                "methods.disagreement.resolved": _("resolved reviewers' disagreement on a method"),
                "methods.evaluation.approved": _("approved an evaluation of a method"),
                "methods.catalogue.imported": _("imported methods into the catalogue"),
                "methods.catalogue.exported": _("exported the methods catalogue"),
            }
        )
        register_nav_item(_("Methods"), "methods:staff_list", "methods.catalogue:view", 45)
