from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "arki.audit"
    verbose_name = _("audit log")

    def ready(self) -> None:
        from arki.core.registry import register_nav_item

        from .registry import register_actions

        register_actions(
            {
                "audit.log.searched": _("searched the audit log"),
                "audit.child_log.viewed": _("viewed who has seen the child's data"),
                "audit.subject_access.searched": _(
                    "searched for a child to answer a subject access request"
                ),
                "audit.subject_access.list_viewed": _(
                    "viewed the answered subject access requests"
                ),
                "audit.subject_access.requested": _("recorded a subject access request"),
                "audit.subject_access.viewed": _("viewed the access report for the client"),
                "audit.subject_access.exported": _("exported the access report for the client"),
                # Forms that show a child's details before anything is saved.
                "people.child.edit_form_viewed": _("opened the form to change the child's details"),
                "people.guardian.form_viewed": _("opened the form to add a guardian"),
                "people.network.form_viewed": _(
                    "opened the form to add a person from the family's network"
                ),
                "meetings.meeting.plan_form_viewed": _("opened the form to plan a network meeting"),
                "discussions.discussion.offer_form_viewed": _(
                    "opened the form to offer an LT discussion"
                ),
                "portal.link.form_viewed": _("opened the form to send a family portal link"),
                "directory.consultation.form_viewed": _(
                    "opened the form to ask for a consultation"
                ),
            }
        )
        register_nav_item(_("Audit log"), "audit:search", "audit.event:search", order=90)
        register_nav_item(
            _("Subject access requests"),
            "audit:access_requests",
            "audit.subject_access:answer",
            order=91,
        )
