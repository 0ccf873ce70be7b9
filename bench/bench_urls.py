"""A bare Django view doing the same JWT check and user lookup as GET /api/v1/me, for comparison."""

import jwt
from allauth.headless import app_settings
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from django.http import HttpRequest, JsonResponse
from django.urls import path

from aapoon.accounts.models import User
from config.urls import urlpatterns as product_urlpatterns

_PUBLIC_KEY = load_pem_private_key(app_settings.JWT_PRIVATE_KEY.encode(), password=None).public_key()


def bare_me(request: HttpRequest) -> JsonResponse:
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    try:
        claims = jwt.decode(token, _PUBLIC_KEY, algorithms=["RS256"])  # type: ignore[arg-type]
    except jwt.InvalidTokenError:
        return JsonResponse({"code": "not_authenticated"}, status=401)
    user = User.objects.get(pk=claims["sub"])
    return JsonResponse(
        {
            "id": str(user.pk),
            "email": user.email,
            "email_verified": user.email_verified,
            "full_name": user.full_name,
            "display_name": user.display_name,
            "phone": user.phone,
            "phone_verified": user.phone_verified,
            "timezone": user.timezone,
            "status": user.status,
            "signup_source": user.signup_source,
            "two_fa_enabled": user.two_fa_enabled,
            "has_avatar": user.avatar_id is not None,
            "is_staff": user.is_staff,
        }
    )


urlpatterns = [path("bench/bare-me", bare_me), *product_urlpatterns]
