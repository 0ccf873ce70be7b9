"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import cache

from aapoon.accounts.tests.factories import make_user


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and used TOTP codes live in the cache; each test starts clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return make_user(email="owner@example.com")


@pytest.fixture
def other_user(db):
    return make_user(email="stranger@example.com")


@pytest.fixture(autouse=True)
def _mail_to_dev_mailbox(settings):
    # Django's test setup points every mailer at locmem; the product's tests read the dev mailbox.
    settings.MAILERS = {"default": {"BACKEND": "aapoon.notifications.devmailbox.DevMailboxEmailBackend"}}
