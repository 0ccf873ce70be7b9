from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from aapoon.notifications.selectors import dev_mailbox_list


def dev_mailbox(request: HttpRequest) -> HttpResponse:
    messages = dev_mailbox_list(limit=200)
    if request.GET.get("format") == "json":
        return JsonResponse(
            [
                {
                    "channel": m.channel,
                    "to": m.to,
                    "subject": m.subject,
                    "body": m.body,
                    "sent_at": m.sent_at.isoformat(),
                }
                for m in messages
            ],
            safe=False,
        )
    return render(request, "notifications/dev_mailbox.html", {"messages": messages})
