from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "arki.meetings"
    verbose_name = _("network meetings")

    def ready(self) -> None:
        from arki.audit.registry import register_actions, register_labels
        from arki.core.registry import register_home_panel
        from arki.people.access import register_scope_checker
        from arki.people.panels import register_child_panel

        from . import panels
        from .models import ConsentScope

        register_labels("consent", dict(ConsentScope.choices))

        register_actions(
            {
                "meetings.meeting.planned": _("started planning a network meeting"),
                "meetings.meeting.viewed": _("viewed the network meeting"),
                "meetings.meeting.closed": _("closed the network work"),
                "meetings.invitee.added": _("suggested an invitee to the network meeting"),
                "meetings.invitee.approved": _("recorded that the family approved an invitee"),
                "meetings.invitee.refused": _("recorded that the family refused an invitee"),
                "meetings.consent.given": _("recorded the family's consent"),
                "meetings.consent.withdrawn": _("recorded that the family withdrew consent"),
                "meetings.proposal.added": _("added a proposal"),
                "meetings.proposal.accepted": _("recorded that the family accepted a proposal"),
                "meetings.proposal.declined": _("recorded that the family declined a proposal"),
                "meetings.meeting.scheduled": _("set the time and place of the network meeting"),
                "meetings.meeting.cancelled": _("cancelled the network meeting"),
                "meetings.invitation.sent": _("sent an invitation to the network meeting"),
                "meetings.invitation.cancelled": _("sent a cancellation of the network meeting"),
                "meetings.invitation.opened": _("opened the invitation to the network meeting"),
                "meetings.invitation.answered": _("answered the invitation to the network meeting"),
                "meetings.reminder.sent": _("sent a reminder of the network meeting"),
                "meetings.phase.noted": _("wrote notes of the network meeting"),
                "meetings.meeting.held": _("recorded that the network meeting was held"),
                "meetings.participation.recorded": _("recorded who took part in the meeting"),
                "meetings.responsible.named": _("named the responsible worker in the meeting"),
                "meetings.report.created": _("made the meeting report"),
                "meetings.report.sent": _("sent the meeting report"),
                "meetings.report.viewed": _("read the meeting report"),
                "meetings.report.printed": _("printed the meeting report as PDF"),
            }
        )
        register_child_panel("meetings/_child_panel.html", panels.child_panel)
        register_scope_checker(panels.scope_checker)
        register_home_panel("meetings/_home_panel.html", panels.home_panel, order=15)
