"""What a use case can refuse: a kind (the class), a sentence, and the fields it concerns.

The web layer (app/web/problems.py) maps each kind to one HTTP status and words the kinds
that are about the protocol (versions, retried writes); services name no header.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a stable kind, a sentence for the client and the input fields at fault."""

    def __init__(self, message: str, *, fields: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


class NotFound(ServiceError):
    """No such thing for this tenant (another tenant's things do not exist for it)."""


class Conflict(ServiceError):
    """The write collides with existing state (a duplicate, an empty correction)."""


class Invalid(ServiceError):
    """Well-formed input that cannot be accepted (a date in the future, before 2000)."""


class Unavailable(ServiceError):
    """A dependency is not ready yet (the catalog is not loaded): retry shortly."""


class VersionError(ServiceError):
    """A write that names the version of `subject` it changes, or should have."""

    def __init__(self, subject: str) -> None:
        super().__init__(f"The {subject}'s version does not allow this change.")
        self.subject = subject


class Stale(VersionError):
    """The thing changed since the version the caller named: nothing was written."""


class VersionRequired(VersionError):
    """The write must name the version it changes, and named none."""


class RetryInFlight(Conflict):
    """A retried write arrived while its first attempt was still running."""


class RetryMismatch(Invalid):
    """A retry token was reused for a different write."""
