"""The application refuses a request body past the largest upload before Django reads it."""

import pytest

from aapoon.core.tests.test_body_limit import run, status_of
from config.asgi import application


@pytest.mark.django_db
async def test_the_application_refuses_an_upload_past_the_largest_allowed(settings):
    limit = settings.REQUEST_BODY_MAX_BYTES
    assert limit > settings.MEETING_FILE_MAX_BYTES
    sent = await run(application, headers=[(b"content-length", str(limit + 1).encode())], chunks=[b""])
    assert status_of(sent) == 413
