"""Sending SMS through one small interface: Twilio when configured, the dev mailbox otherwise."""

import logging
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from aapoon.notifications.devmailbox import dev_mailbox_store
from aapoon.notifications.models import DevMailboxMessage

logger = logging.getLogger(__name__)


class SmsRefused(Exception):
    """The provider did not take the message; `code` is its error code (never the number or text)."""

    def __init__(self, code: int | None) -> None:
        self.code = code
        super().__init__(f"SMS refused (error code {code})")


class SmsProvider(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


class DevMailboxSmsProvider:
    def send(self, *, to: str, body: str) -> None:
        dev_mailbox_store(channel=DevMailboxMessage.Channel.SMS, to=to, subject="", body=body)


class TwilioSmsProvider:
    def __init__(self) -> None:
        from twilio.rest import Client

        self.client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)

    def send(self, *, to: str, body: str) -> None:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        try:
            self.client.messages.create(to=to, from_=settings.TWILIO_FROM_NUMBER, body=body)
        except TwilioException as exc:
            raise SmsRefused(exc.code if isinstance(exc, TwilioRestException) else None) from exc


@cache
def _provider(path: str) -> SmsProvider:
    provider: SmsProvider = import_string(path)()
    return provider


def sms_deliver(*, to: str, body: str) -> None:
    """Send one SMS; raises SmsRefused (or the provider's network error) so the caller can retry."""
    _provider(settings.SMS_PROVIDER).send(to=to, body=body)


def sms_send(*, to: str, body: str) -> None:
    """Send a sign-in code: the person sees the same answer either way and can ask again, so a
    refusal is logged (why, without the number or the code) rather than raised."""
    try:
        sms_deliver(to=to, body=body)
    except SmsRefused as exc:
        logger.warning("Twilio refused an SMS (error code %s)", exc.code)
