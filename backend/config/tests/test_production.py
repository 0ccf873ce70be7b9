"""Production settings, checked in a fresh process (settings and URLs are fixed at import time)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import resolve

from aapoon.notifications.views import dev_mailbox

BACKEND = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def production_env(tmp_path_factory) -> dict[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        JWT_PRIVATE_KEY=pem,
        ALLOWED_HOSTS="meet.example.com",
        DATA_DIR=str(tmp_path_factory.mktemp("data")),
    )
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_has_no_findings(production_env):
    result = _run(production_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stdout


REFUSES = """
import importlib
import os
import sys

from django.core.exceptions import ImproperlyConfigured

full = dict(os.environ)
for missing in ("SECRET_KEY", "JWT_PRIVATE_KEY", "ALLOWED_HOSTS"):
    os.environ.clear()
    os.environ.update({k: v for k, v in full.items() if k != missing})
    for name in [m for m in sys.modules if m.startswith("config.settings")]:
        del sys.modules[name]
    try:
        importlib.import_module("config.settings.production")
    except ImproperlyConfigured as exc:
        print(missing, "->", exc)
    else:
        print(missing, "-> started anyway")
"""


def test_production_refuses_to_start_without_shared_secrets(production_env):
    result = _run(production_env, "-c", REFUSES)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{name} -> {name} must be set in production"
        for name in ("SECRET_KEY", "JWT_PRIVATE_KEY", "ALLOWED_HOSTS")
    ]


PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

assert settings.DEV_MAILBOX_ENABLED is False
assert settings.DEBUG is False
try:
    resolve("/dev/mailbox")
    raise AssertionError("/dev/mailbox resolves in production")
except Resolver404:
    pass
client = Client(HTTP_HOST="meet.example.com")
html = client.get("/dev/mailbox", secure=True)
json_view = client.get("/dev/mailbox", {"format": "json"}, secure=True)
print(html.status_code, json_view.status_code)
assert b"Dev mailbox" not in html.content
print("ok")
"""


def test_dev_mailbox_does_not_exist_in_production(production_env):
    result = _run(production_env, "-c", PROBE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok")
    status_html, status_json = result.stdout.split()[:2]
    assert (status_html, status_json) == ("404", "404")


def test_dev_mailbox_is_routed_in_the_test_settings(client, db):
    assert resolve("/dev/mailbox").func is dev_mailbox
    assert client.get("/dev/mailbox", {"format": "json"}).json() == []
