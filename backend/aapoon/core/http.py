from allauth.core.internal.httpkit import get_client_ip
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The caller's address. Behind nginx it comes from X-Forwarded-For (TRUSTED_PROXY_COUNT
    proxies deep), never from REMOTE_ADDR, which is the proxy; allauth's rate limits use the same rule."""
    return get_client_ip(request) or ""
