"""Domain exceptions. Services raise these; `web/problems.py` alone turns them into HTTP answers."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str):
        detail = str(detail)  # a lazy message, said in the language of the request raising it
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Unauthenticated(DomainError):
    status = 401
    title = "Authentication required"


class Conflict(DomainError):
    """The current state of the resource forbids the action; the detail names that state."""

    status = 409
    title = "Conflict"


class PayloadTooLarge(DomainError):
    status = 413
    title = "Payload too large"


class UnsupportedMediaType(DomainError):
    status = 415
    title = "Unsupported media type"


@dataclass(frozen=True)
class FieldError:
    """One bad field: the API's sentence, and a code with parameters pages say plainly."""

    field: str
    message: str
    code: str = ""  # missing, choice, too_long, too_small, too_big, date, past, too_far, ...
    params: dict = dataclass_field(default_factory=dict, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "message", str(self.message))


class ValidationFailed(DomainError):
    status = 422
    title = "Validation failed"

    def __init__(self, errors: list[FieldError], detail: str | None = None):
        self.errors = errors
        summary = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
        super().__init__(detail or _l("Some fields are not valid: %(summary)s", summary=summary))


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, message)])


class NotConfigured(DomainError):
    """The deployment is missing something only an operator can provide."""

    status = 503
    title = "Service unavailable"


class Unavailable(DomainError):
    """Not there yet, but soon without anyone's help: ask again after `retry_after` seconds."""

    status = 503
    title = "Service unavailable"

    def __init__(self, detail: str, *, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after
