"""Settings for pytest: the embedded default, made fast and isolated."""

import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # hashing speed only
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="aapoon-test-media-"))
SMS_PROVIDER = "aapoon.notifications.sms.DevMailboxSmsProvider"
DEV_MAILBOX_ENABLED = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in memory
