"""What a use case can refuse; app/api/problems maps each kind to one HTTP status."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a stable kind and a sentence for the client."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    """No such thing for this tenant (another tenant's things do not exist for it)."""


class Conflict(ServiceError):
    """The write collides with existing state (a duplicate, a request still in flight)."""


class PreconditionFailed(ServiceError):
    """The client's If-Match does not name the current version."""


class PreconditionRequired(ServiceError):
    """The write needs an If-Match and got none."""


class Invalid(ServiceError):
    """Well-formed input that cannot be accepted (a reused idempotency key, a future date)."""
