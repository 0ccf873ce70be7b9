"""SMS provider selection from the environment (config/settings/sms.py)."""

import importlib

import pytest

import config.settings.sms as sms_settings

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "fake-auth-token"
FROM = "+14155550100"


@pytest.mark.parametrize(
    ("sid", "expected"),
    [
        (SID, "aapoon.notifications.sms.TwilioSmsProvider"),
        ("", "aapoon.notifications.sms.DevMailboxSmsProvider"),
    ],
)
def test_settings_pick_twilio_only_when_its_sid_is_set(monkeypatch, sid, expected):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", sid)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("TWILIO_FROM_NUMBER", FROM)
    try:
        reloaded = importlib.reload(sms_settings)
        chosen, configured_sid = reloaded.SMS_PROVIDER, reloaded.TWILIO_ACCOUNT_SID
        assert chosen == expected
        assert configured_sid == sid
    finally:
        monkeypatch.undo()
        importlib.reload(sms_settings)
