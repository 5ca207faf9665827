from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "arki.people"
    verbose_name = _("children and families")

    def ready(self) -> None:
        from arki.audit.registry import register_actions, register_labels
        from arki.core.registry import register_nav_item

        from .models import RelationshipKind

        register_labels("relationship", dict(RelationshipKind.choices))
        register_nav_item(_("Unit's children"), "people:unit_children", "people.child:assign", 20)
        register_actions(
            {
                "people.child.list_viewed": _("viewed the list of their clients"),
                "people.child.viewed": _("viewed the child's page"),
                "people.child.created": _("added the child"),
                "people.child.updated": _("changed the child's details"),
                "people.child.worker_assigned": _("named a responsible worker"),
                "people.guardian.created": _("added a guardian"),
                "people.network.created": _("added a person from the family's network"),
            }
        )
