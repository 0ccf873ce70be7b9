"""The dev mailbox: where the embedded default delivers email and SMS."""

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from aapoon.notifications.models import DevMailboxMessage


def dev_mailbox_store(*, channel: str, to: str, subject: str, body: str) -> DevMailboxMessage:
    return DevMailboxMessage.objects.create(channel=channel, to=to, subject=subject, body=body)


class DevMailboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            for recipient in message.recipients():
                dev_mailbox_store(
                    channel=DevMailboxMessage.Channel.EMAIL,
                    to=recipient,
                    subject=str(message.subject),
                    body=str(message.body),
                )
        return len(email_messages)
