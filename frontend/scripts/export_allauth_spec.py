"""Write django-allauth's headless OpenAPI spec, pinned to the browser client, as JSON.

Run with the backend's Python: ../backend/.venv/bin/python scripts/export_allauth_spec.py OUT
"""

import json
import os
import sys
import uuid
from pathlib import Path
from unittest import mock

BACKEND = Path(__file__).resolve().parents[2] / "backend"
sys.path.insert(0, str(BACKEND))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from allauth.headless.spec.internal.schema import get_schema  # noqa: E402
from django.test import override_settings  # noqa: E402

# The example user id is a random uuid4: pin it so the output is reproducible.
with override_settings(HEADLESS_CLIENTS=("browser",)), mock.patch("uuid.uuid4", return_value=uuid.UUID(int=0)):
    spec = get_schema()

Path(sys.argv[1]).write_text(json.dumps(spec, indent=2, sort_keys=True) + "\n")
