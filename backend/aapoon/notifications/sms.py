"""Sending SMS through one small interface: Twilio when configured, the dev mailbox otherwise."""

from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from aapoon.notifications.devmailbox import dev_mailbox_store
from aapoon.notifications.models import DevMailboxMessage


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
        self.client.messages.create(to=to, from_=settings.TWILIO_FROM_NUMBER, body=body)


@cache
def _provider(path: str) -> SmsProvider:
    provider: SmsProvider = import_string(path)()
    return provider


def sms_send(*, to: str, body: str) -> None:
    _provider(settings.SMS_PROVIDER).send(to=to, body=body)
