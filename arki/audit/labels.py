"""Audit codes in plain words, in the reader's language: the actor's role and the basis.

Used by the audit search and by the family's "who has seen our data" page. Unknown codes are
shown as they are stored.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Roles of actors who are not staff: they act through the portal or an invitation's link.
OTHER_ROLE_LABELS = {
    "guardian": _("guardian"),
    "child": _("child"),
    "invitee": _("invitee of a network meeting"),
}

BASIS_LABELS = {
    "": _("not recorded"),
    "relationship": _("works with the child"),
    "guardian": _("guardian of the child"),
    "own_data": _("the child's own data"),
    "portal_link": _("a family portal link from the worker"),
    "new_client": _("a new client"),
    "unit_manager": _("manager of the child's unit"),
    "supervision": _("supervision of the log"),
    "invitation link": _("the invitation's own link"),
    "subject_access_request": _("the client's request to know who has seen their data"),
    "consultation request": _("a consultation request"),
    "anonymous consultation": _("an anonymous consultation request"),
    "retention": _("the retention schedule"),
    "statistics": _("statistics without names"),
    "own account": _("their own account"),
    "directory maintenance": _("keeping the service directory"),
}


CONSENT_LABEL = _("the family's consent")


def role_label(role: str) -> str:
    from arki.accounts.models import Role

    if role in Role.values:
        return str(Role(role).label)
    label = OTHER_ROLE_LABELS.get(role)
    return str(label) if label is not None else role


def basis_label(basis: str) -> str:
    """The basis of an audit event in plain words (unknown codes are shown as they are)."""
    from arki.people.models import RelationshipKind

    kind, _sep, detail = basis.partition(":")
    if kind == "relationship" and detail:
        try:
            return str(RelationshipKind(detail).label)
        except ValueError:
            return basis
    if kind == "consent" and detail:
        from arki.directory.models import ConsentChannel
        from arki.meetings.models import ConsentScope

        scope = detail
        if detail in ConsentScope.values:
            scope = str(ConsentScope(detail).label)
        elif detail in ConsentChannel.values:  # a consultation sent with the family's consent
            scope = str(ConsentChannel(detail).label)
        return f"{CONSENT_LABEL}: {scope}"
    label = BASIS_LABELS.get(basis)
    return str(label) if label is not None else basis
