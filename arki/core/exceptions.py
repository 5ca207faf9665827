"""Domain errors: raised by services, turned into clear responses by views and APIs."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain was broken; ``message`` is translatable and safe to show.
    ``field`` names the input the rule is about (a form shows the message under it)."""

    default_message = _("The action could not be completed.")

    def __init__(self, message: object | None = None, *, field: str | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.field = field
        super().__init__(str(self.message))

    def add_to(self, form: Any, field: str | None = None) -> None:
        """Show the message in ``form``: under the field it is about when the form has that
        field, else under ``field`` (the caller's guess), else above the form."""
        target = self.field if self.field in form.fields else field
        form.add_error(target if target in form.fields else None, str(self.message))


class ConflictError(DomainError):
    """Someone else saved the record after this editor loaded it (no lost updates)."""

    default_message = _(
        "Someone else saved this record while you were editing it. Your changes were not "
        "saved; reload the page to see the latest version, then make your changes again."
    )


class NotQualifiedError(DomainError):
    default_message = _("You do not have the qualification this requires.")


class InvalidTransitionError(DomainError):
    default_message = _("This step is not possible in the current state.")
