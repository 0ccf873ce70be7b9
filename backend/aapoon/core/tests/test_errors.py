"""Domain errors: a stable code and HTTP status each (rendered by config/api.py, tested in config/tests)."""

import pytest

from aapoon.core import errors


@pytest.mark.parametrize(
    ("cls", "status", "code"),
    [
        (errors.ApplicationError, 400, "error"),
        (errors.InvalidInput, 400, "invalid_input"),
        (errors.NotAuthenticated, 401, "not_authenticated"),
        (errors.PermissionDenied, 403, "permission_denied"),
        (errors.NotFound, 404, "not_found"),
        (errors.Conflict, 409, "conflict"),
        (errors.RateLimited, 429, "rate_limited"),
    ],
)
def test_each_error_has_a_stable_code_status_and_default_message(cls, status, code):
    exc = cls()
    assert (exc.status, exc.code) == (status, code)
    assert exc.message == cls.message and exc.message
    assert str(exc) == exc.message
    assert exc.detail is None
    assert issubclass(cls, errors.ApplicationError)


def test_message_and_detail_are_per_instance():
    first = errors.InvalidInput("Bad phone.", detail={"field": "phone"})
    second = errors.InvalidInput()
    assert (first.message, first.detail) == ("Bad phone.", {"field": "phone"})
    assert second.message == errors.InvalidInput.message  # the class default is untouched
    assert second.detail is None
