"""SMS: one interface, the dev mailbox by default, Twilio when configured (no real network here)."""

import base64
from urllib.parse import parse_qs

import pytest
import responses

from aapoon.notifications import sms
from aapoon.notifications.models import DevMailboxMessage

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "fake-auth-token"
FROM = "+14155550100"
MESSAGES_URL = f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json"


@pytest.fixture(autouse=True)
def _fresh_provider_cache():
    sms._provider.cache_clear()
    yield
    sms._provider.cache_clear()


@pytest.fixture
def twilio(settings):
    settings.TWILIO_ACCOUNT_SID = SID
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_FROM_NUMBER = FROM
    settings.SMS_PROVIDER = "aapoon.notifications.sms.TwilioSmsProvider"
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mocked:
        yield mocked


def _twilio_reply(to: str, body: str) -> dict[str, object]:
    return {
        "sid": "SM" + "f" * 32,
        "account_sid": SID,
        "from": FROM,
        "to": to,
        "body": body,
        "status": "queued",
        "num_segments": "1",
        "direction": "outbound-api",
        "api_version": "2010-04-01",
        "uri": f"/2010-04-01/Accounts/{SID}/Messages/SM{'f' * 32}.json",
    }


def test_dev_provider_stores_the_message(db, settings):
    settings.SMS_PROVIDER = "aapoon.notifications.sms.DevMailboxSmsProvider"
    sms.sms_send(to="+919812345678", body="Your code is 123456")
    assert list(DevMailboxMessage.objects.values_list("channel", "to", "body")) == [
        ("sms", "+919812345678", "Your code is 123456")
    ]


def test_twilio_provider_posts_to_the_messages_endpoint(db, twilio):
    twilio.post(MESSAGES_URL, json=_twilio_reply("+919812345678", "Your code is 123456"), status=201)

    sms.sms_send(to="+919812345678", body="Your code is 123456")

    assert len(twilio.calls) == 1
    request = twilio.calls[0].request
    assert request.method == "POST"
    assert request.url == MESSAGES_URL
    form = parse_qs(request.body if isinstance(request.body, str) else request.body.decode())
    assert form == {"To": ["+919812345678"], "From": [FROM], "Body": ["Your code is 123456"]}
    expected_auth = base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected_auth}"
    assert not DevMailboxMessage.objects.exists()  # nothing went to the dev mailbox


def test_twilio_provider_is_built_once(db, twilio):
    twilio.post(MESSAGES_URL, json=_twilio_reply("+919812345678", "a"), status=201)
    sms.sms_send(to="+919812345678", body="a")
    sms.sms_send(to="+919812345678", body="b")
    assert len(twilio.calls) == 2
    assert sms._provider.cache_info().currsize == 1


def test_twilio_error_is_logged_without_the_number_or_the_text(db, twilio, caplog):
    twilio.post(
        MESSAGES_URL,
        json={"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400},
        status=400,
    )

    sms.sms_send(to="+10000000000", body="Your code is QQQQ-RRRR")

    [record] = [r for r in caplog.records if r.name == "aapoon.notifications.sms"]
    assert record.getMessage() == "Twilio refused an SMS (error code 21211)"
    assert "+10000000000" not in caplog.text
    assert "QQQQ-RRRR" not in caplog.text
    assert not DevMailboxMessage.objects.exists()
