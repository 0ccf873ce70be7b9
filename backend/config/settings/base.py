"""Settings for the embedded default (`make run`); every value can be overridden by the environment.

Integrations live in their own files beside this one and are pulled in at the bottom.
"""

import dj_database_url

from config.settings.env import (
    REPO_DIR,
    data_dir,
    email_url_mailer,
    env_bool,
    env_int,
    env_list,
    env_str,
    kept_secret,
)

BASE_DIR = REPO_DIR / "backend"
DATA_DIR = data_dir()
FRONTEND_DIST = REPO_DIR / "frontend" / "dist"

SECRET_KEY = env_str("SECRET_KEY") or kept_secret(DATA_DIR, "secret_key")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Where people reach the product; used in links inside emails.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}")

# The dev mailbox stores every email and SMS and shows them at /dev/mailbox.
DEV_MAILBOX_ENABLED = env_bool("DEV_MAILBOX_ENABLED", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.mfa",
    "allauth.headless",
    "allauth.usersessions",
    "dbtasks",
    "aapoon.core",
    "aapoon.audit",
    "aapoon.files",
    "aapoon.accounts",
    "aapoon.notifications",
    "aapoon.media",
    "aapoon.meetings",
    "aapoon.scheduling",
    "aapoon.realtime",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock up
    # front so concurrent transactions wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # In-process and built for a meeting's fan-out (see aapoon/realtime/layers.py).
    CHANNEL_LAYERS = {"default": {"BACKEND": "aapoon.realtime.layers.LocalChannelLayer"}}

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The built web app is served from the site root (index.html by the SPA view).
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.exists() else None
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploads: profile pictures.
AVATAR_MAX_BYTES = env_int("AVATAR_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Key for fields encrypted at rest (bank account numbers). Defaults to one derived from
# SECRET_KEY; set FIELD_ENCRYPTION_KEY to rotate the two independently.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")

EMAIL_URL = env_str("EMAIL_URL")
MAILERS = {
    "default": email_url_mailer(EMAIL_URL)
    if EMAIL_URL
    else {"BACKEND": "aapoon.notifications.devmailbox.DevMailboxEmailBackend"}
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "aapoon meet <no-reply@aapoon.local>")

TASKS = {
    "default": {
        "BACKEND": "dbtasks.backend.DatabaseBackend",
        "OPTIONS": {
            "immediate": False,
            # Seconds between runs. Both are idempotent: a late or doubled run sends nothing twice.
            "periodic": {
                "aapoon.notifications.tasks.notifications_deliver": 5,
                "aapoon.scheduling.tasks.reminders_scan": 30,
            },
        },
    }
}
# `make run` runs the task runner inside the server process; production runs it apart.
TASK_RUNNER_IN_PROCESS = env_bool("TASK_RUNNER_IN_PROCESS", True)

# Lists in the API: {items, count}, ?limit=&offset=.
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "dbtasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # A line per task state change: with periodic tasks every few seconds, only problems matter.
        "django.tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Every Janus request and health check is an httpx request: only problems are worth a line.
        "httpx": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

from config.settings.auth import *  # noqa: E402,F403
from config.settings.media import *  # noqa: E402,F403
from config.settings.meetings import *  # noqa: E402,F403
from config.settings.meetings import MEETING_FILE_MAX_BYTES  # noqa: E402
from config.settings.notifications import *  # noqa: E402,F403
from config.settings.sms import *  # noqa: E402,F403

# The largest request body the app reads: the largest upload, with room for its multipart framing.
# A bigger one is refused before it is read (aapoon/core/body_limit.py).
REQUEST_BODY_MAX_BYTES = (
    max(MEETING_FILE_MAX_BYTES, AVATAR_MAX_BYTES, DATA_UPLOAD_MAX_MEMORY_SIZE) + 64 * 1024
)
