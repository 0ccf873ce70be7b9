"""Email through the configured mailer (SMTP, SendGrid or SES, or the dev mailbox)."""

import contextlib
import email.policy
from collections.abc import Iterator
from contextvars import ContextVar
from email.message import EmailMessage as MIMEMessage
from email.message import MIMEPart
from email.policy import Policy
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend

from aapoon.notifications.channels import SENT, SKIPPED
from aapoon.notifications.models import Notification
from aapoon.notifications.tokens import email_unsubscribe_token, unsubscribe_token

# The worker's batch shares one mailer (one SMTP session, not one per email).
_batch_mailer: ContextVar[BaseEmailBackend | None] = ContextVar("batch_mailer", default=None)


@contextlib.contextmanager
def one_session() -> Iterator[None]:
    mailer = mailers.default
    token = _batch_mailer.set(mailer)
    try:
        yield
    finally:
        _batch_mailer.reset(token)
        with contextlib.suppress(Exception):  # the session may be gone already
            mailer.close()


def _send(message: EmailMessage) -> None:
    mailer = _batch_mailer.get()
    if mailer is None:
        message.send()
        return
    try:
        mailer.open()  # once per batch: a no-op while the session is open
        mailer.send_messages([message])
    except Exception:
        # A broken session must not fail the rest of the batch: the next send opens a new one.
        with contextlib.suppress(Exception):
            mailer.close()
        raise


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def message_id(notification: Notification) -> str:
    """Derived from the row, so the one email a crashed worker may send again carries the same
    Message-ID as the first and mail clients can drop the copy."""
    return f"<{notification.pk}@{urlsplit(settings.SITE_URL).hostname or 'aapoon.local'}>"


def _ics_attachment(ics: str, method: str) -> MIMEPart:
    # Outlook and Gmail show an invitation only with the method in the content type.
    part = MIMEPart()
    part.set_content(
        ics,
        subtype="calendar",
        charset="utf-8",
        disposition="attachment",
        filename="invite.ics",
        params={"method": method},
    )
    return part


class _InvitationEmail(EmailMessage):
    """multipart/mixed { multipart/alternative { text/plain, text/calendar; method=X }, invite.ics }.

    Outlook shows a meeting request only for a text/calendar part inline in the alternative
    with the text; Gmail and Apple Mail read that or the invite.ics attachment. API providers
    that build the email themselves (SendGrid) get the body and the attachment.
    """

    ics = ""
    method = "REQUEST"

    def add_invitation(self, ics: str, method: str) -> None:
        self.ics, self.method = ics, method
        self.attach(_ics_attachment(ics, method))

    def message(self, *, policy: Policy | None = None) -> MIMEMessage:
        msg = super().message(policy=policy or email.policy.default)  # mixed { text/plain, invite.ics }
        text = next(msg.iter_parts())
        # The text part becomes multipart/alternative { text/plain, text/calendar (inline) }.
        text.add_alternative(self.ics, subtype="calendar", charset="utf-8", params={"method": self.method})
        return msg


def _footer(notification: Notification, headers: dict[str, str]) -> str:
    """The footer's unsubscribe link (for a user, or for an address without an account), also as
    List-Unsubscribe with one-click POST (RFC 8058) to the public API endpoint."""
    user = notification.user
    if user is not None:
        token = unsubscribe_token(user_id=user.pk, event=notification.event)
        why = "You get this email because of your aapoon meet notification settings.\n"
        manage = f"Manage notifications: {_site('/account/notifications')}\n"
    else:
        token = email_unsubscribe_token(email=notification.to_email, event=notification.event)
        why = "Sent by aapoon meet because someone invited this address to a meeting.\n"
        manage = ""
    headers["List-Unsubscribe"] = f"<{_site(f'/api/v1/notifications/unsubscribe/{token}')}>"
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return f"\n\n-- \n{why}Stop emails like this one: {_site(f'/unsubscribe/{token}')}\n{manage}"


def send(notification: Notification) -> str:
    user = notification.user
    if user is not None and not user.is_active:
        return SKIPPED
    payload = notification.payload
    headers = {"Message-ID": message_id(notification)}
    footer = _footer(notification, headers)
    message = (_InvitationEmail if payload.get("ics") else EmailMessage)(
        subject=" ".join(str(payload["subject"]).split()),  # a header: one line
        body=str(payload["text"]) + footer,
        to=[user.email if user is not None else notification.to_email],
        headers=headers,
    )
    if isinstance(message, _InvitationEmail):
        message.add_invitation(str(payload["ics"]), str(payload.get("ics_method", "REQUEST")))
    _send(message)
    return SENT
