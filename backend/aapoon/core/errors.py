"""Domain errors: each has a stable code and an HTTP status; one API handler renders them."""

from typing import Any


class ApplicationError(Exception):
    code = "error"
    status = 400
    message = "The request could not be completed."

    def __init__(self, message: str | None = None, *, field: str | None = None, detail: Any = None) -> None:
        """`field` names the input at fault, in the same `[{loc, msg}]` shape as validation errors,
        so forms can show the message under that field."""
        self.message = message or self.message
        self.detail = [{"loc": [field], "msg": self.message}] if field and detail is None else detail
        super().__init__(self.message)


class InvalidInput(ApplicationError):
    code = "invalid_input"
    status = 400
    message = "The request is not valid."


class NotAuthenticated(ApplicationError):
    code = "not_authenticated"
    status = 401
    message = "Sign in to continue."


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403
    message = "You do not have permission to do that."


class NotFound(ApplicationError):
    code = "not_found"
    status = 404
    message = "Not found."


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    message = "That conflicts with the current state."


class RateLimited(ApplicationError):
    code = "rate_limited"
    status = 429
    message = "Too many requests; try again later."
