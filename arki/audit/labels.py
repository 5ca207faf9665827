"""Audit codes in plain words, in the reader's language: the actor's role and the basis.

Used by the audit search and by the family's "who has seen our data" page. Unknown codes are
shown as they are stored.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .registry import value_label

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
    staff = value_label("role", role)  # registered by arki.accounts
    if staff is not None:
        return staff
    label = OTHER_ROLE_LABELS.get(role)
    return str(label) if label is not None else role


def basis_label(basis: str) -> str:
    """The basis of an audit event in plain words (unknown codes are shown as they are)."""
    kind, _sep, detail = basis.partition(":")
    if kind == "relationship" and detail:  # kinds registered by arki.people
        return value_label("relationship", detail) or basis
    if kind == "consent" and detail:  # scopes registered by arki.meetings
        return f"{CONSENT_LABEL}: {value_label('consent', detail) or detail}"
    label = BASIS_LABELS.get(basis)
    return str(label) if label is not None else basis
