from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "arki.training"
    verbose_name = _("training registry")

    def ready(self) -> None:
        from arki.audit.registry import register_actions
        from arki.core.registry import register_home_panel, register_nav_item

        from .panels import refresher_panel

        register_nav_item(_("My training"), "training:my_training", "training.enrolment:self", 60)
        register_nav_item(
            _("Training registry"), "training:registry", "training.registry:manage", 61
        )
        register_home_panel("training/_home_panel.html", refresher_panel, order=80)
        register_actions(
            {
                "training.catalogue.seeded": _("created the default training catalogue"),
                "training.catalogue.changed": _("changed a training module"),
                "training.settings.changed": _("changed the training settings"),
                "training.event.created": _("added a training event"),
                "training.event.changed": _("changed a training event"),
                "training.enrolment.created": _("enrolled a staff member in training"),
                "training.enrolment.cancelled": _("cancelled a training enrolment"),
                "training.enrolment.promoted": _("gave a place from the waiting list"),
                "training.attendance.recorded": _("recorded a completed training module"),
                "training.qualification.granted": _("granted an LT qualification"),
                "training.import.completed": _("imported trained staff"),
                "training.refresher.reminded": _("sent a refresher reminder"),
            }
        )
