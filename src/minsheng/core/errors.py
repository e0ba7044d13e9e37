"""Domain errors: one shape for every front door (pages, REST, Open311, CLI).

Services raise these; views and API handlers translate them (404, 409, 400) and never build their
own messages. Field-level input errors use Django's ValidationError with a dict, so forms can
attach them to their fields and the API can return them as they are.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

__all__ = ["Conflict", "DomainError", "NotAllowed", "ValidationError"]


class DomainError(Exception):
    """A rule of the domain refused the request; `message` is translated and safe to show."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, article: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.article = article
        if code:
            self.code = code


class NotAllowed(DomainError):
    """The actor lacks the role for this action (shown as 403 to staff, never to reveal objects)."""

    code = "not_allowed"


class Conflict(DomainError):
    """The object's state does not allow this action now (409): lost race or illegal transition."""

    code = "conflict"
