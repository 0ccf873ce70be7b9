"""Settings for pytest: the embedded default, made fast and isolated."""

import atexit
import shutil
import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # hashing speed only
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="aapoon-test-media-"))
SMS_PROVIDER = "aapoon.notifications.sms.DevMailboxSmsProvider"
DEV_MAILBOX_ENABLED = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file of this run's own, as in production (WAL, writers wait their turn): an in-memory
    # database refuses a second writer at once, and sockets' calls that may wait on Janus run
    # on threads of their own, beside the others.
    _TEST_DB_DIR = tempfile.mkdtemp(prefix="aapoon-test-db-")
    atexit.register(shutil.rmtree, _TEST_DB_DIR, ignore_errors=True)  # with its WAL files
    DATABASES["default"]["TEST"] = {"NAME": str(Path(_TEST_DB_DIR) / "db.sqlite3")}
