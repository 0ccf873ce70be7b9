"""The one API error handler: every error leaves as {code, message, detail} with the right status."""

import json

import pytest
from django.http import Http404
from django.test import RequestFactory
from ninja.errors import AuthenticationError, HttpError, ValidationError

from aapoon.core import errors
from config import api as api_module


def _render(handler, exc):
    response = handler(RequestFactory().get("/api/v1/x"), exc)
    return response.status_code, json.loads(response.content)


@pytest.mark.parametrize(
    ("exc", "status", "body"),
    [
        (
            errors.Conflict("Taken.", detail={"field": "phone"}),
            409,
            {"code": "conflict", "message": "Taken.", "detail": {"field": "phone"}},
        ),
        (errors.NotFound(), 404, {"code": "not_found", "message": "Not found.", "detail": None}),
        (
            errors.RateLimited(),
            429,
            {"code": "rate_limited", "message": errors.RateLimited.message, "detail": None},
        ),
    ],
)
def test_application_error_handler(exc, status, body):
    assert _render(api_module.application_error, exc) == (status, body)


def test_validation_error_handler_keeps_only_loc_and_msg():
    exc = ValidationError(
        [{"loc": ("body", "payload", "full_name"), "msg": "too long", "type": "x", "input": "secret-input"}]
    )
    status, body = _render(api_module.validation_error, exc)
    assert status == 422
    assert body == {
        "code": "validation_error",
        "message": "Some fields are not valid.",
        "detail": [{"loc": ["body", "payload", "full_name"], "msg": "too long"}],
    }
    assert "secret-input" not in json.dumps(body)  # rejected input is not echoed back


def test_authentication_error_handler():
    assert _render(api_module.authentication_error, AuthenticationError()) == (
        401,
        {"code": "not_authenticated", "message": "Sign in to continue.", "detail": None},
    )


def test_http404_handler():
    assert _render(api_module.not_found, Http404("internal detail")) == (
        404,
        {"code": "not_found", "message": "Not found.", "detail": None},
    )


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (400, "invalid_request"),
        (403, "permission_denied"),
        (405, "method_not_allowed"),
        (429, "rate_limited"),
    ],
)
def test_http_error_handler(status, code):
    assert _render(api_module.http_error, HttpError(status, "Nope.")) == (
        status,
        {"code": code, "message": "Nope.", "detail": None},
    )
