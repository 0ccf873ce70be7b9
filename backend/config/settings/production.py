"""Production: the same settings, hardened. Behind a TLS-terminating proxy (see deploy/)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import DATA_DIR
from config.settings.env import email_url_mailer, env_bool, env_int, env_str

# Every node must share these; a key generated per node would sign users out between nodes.
for _required in ("SECRET_KEY", "JWT_PRIVATE_KEY", "ALLOWED_HOSTS"):
    if not env_str(_required):
        raise ImproperlyConfigured(f"{_required} must be set in production")

DEBUG = False
DEV_MAILBOX_ENABLED = False
TASK_RUNNER_IN_PROCESS = env_bool("TASK_RUNNER_IN_PROCESS", False)
WHITENOISE_USE_FINDERS = False
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))  # filled by collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes from the load balancer speak plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not env_str("EMAIL_URL"):
    # The dev mailbox does not exist here: without EMAIL_URL, mail goes to a local MTA.
    MAILERS = {"default": email_url_mailer("smtp://localhost:25")}
