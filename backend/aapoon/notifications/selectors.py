from aapoon.notifications.models import DevMailboxMessage


def dev_mailbox_list(*, limit: int) -> list[DevMailboxMessage]:
    return list(DevMailboxMessage.objects.order_by("-sent_at", "-id")[:limit])
