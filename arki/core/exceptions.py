"""Domain errors: raised by services, turned into clear responses by views and APIs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain was broken; ``message`` is translatable and safe to show."""

    default_message = _("The action could not be completed.")

    def __init__(self, message: object | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


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
