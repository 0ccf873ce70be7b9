"""The one NinjaAPI: routers from each app, JWT or session auth, one error shape."""

from allauth.headless.contrib.ninja.security import jwt_token_auth
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from aapoon.accounts.api import router as accounts_router
from aapoon.core.errors import ApplicationError
from aapoon.files.api import router as files_router
from aapoon.media.api import router as media_router
from aapoon.meetings.api import router as meetings_router
from aapoon.meetings.breakouts_api import router as breakouts_router
from aapoon.meetings.files_api import router as meeting_files_router
from aapoon.notifications.api import router as notifications_router
from aapoon.scheduling.api import router as scheduling_router
from aapoon.scheduling.rsvp_api import router as rsvp_router

api = NinjaAPI(
    title="aapoon meet API",
    version="1",
    urls_namespace="api-v1",
    docs_url=None,
    auth=[jwt_token_auth, django_auth],
)


def _error(request: HttpRequest, status: int, code: str, message: str, detail: object = None) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "detail": detail}, status=status)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.detail)


def _readable(msg: str) -> str:
    # Our own validators' messages are written for people; pydantic prefixes them.
    return msg.removeprefix("Value error, ")


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [
        {"loc": [str(part) for part in err.get("loc", [])], "msg": _readable(err.get("msg", ""))}
        for err in exc.errors
    ]
    return _error(request, 422, "validation_error", "Some fields are not valid.", detail)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "not_authenticated", "Sign in to continue.")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Not found.")


_HTTP_ERROR_CODES = {
    400: "invalid_request",
    403: "permission_denied",
    405: "method_not_allowed",
    429: "rate_limited",
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = _HTTP_ERROR_CODES.get(exc.status_code, "error")
    return _error(request, exc.status_code, code, str(exc))


api.add_router("/", accounts_router)
api.add_router("/", meetings_router)
api.add_router("/", breakouts_router)
api.add_router("/", meeting_files_router)
api.add_router("/", media_router)
api.add_router("/", files_router)
api.add_router("/", notifications_router)
api.add_router("/", scheduling_router)
api.add_router("/", rsvp_router)
