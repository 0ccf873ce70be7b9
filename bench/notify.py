"""Benchmark: outbox emails delivered per second to a local SMTP server, and the reminder scan's cost.

Runs inside Django on a fresh DATA_DIR (the embedded default: SQLite), with aiosmtpd listening
on 127.0.0.1. N pending email notifications are written, then `deliver_due` runs batch after
batch (as the worker does: claim, send each over SMTP, commit each outcome) until all are sent.
The reminder part is bench/notify_reminders.py with 100,000 scheduled meetings. Prints one JSON
object. Environment: BENCH_NOTIFY_N (2000), BENCH_NOTIFY_BATCH (50), BENCH_REMINDER_MEETINGS (100000).
"""

import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
N = int(os.environ.get("BENCH_NOTIFY_N", "2000"))
BATCH = int(os.environ.get("BENCH_NOTIFY_BATCH", "50"))
MEETINGS = int(os.environ.get("BENCH_REMINDER_MEETINGS", "100000"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.count += 1
        return "250 Message accepted for delivery"


def main() -> None:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    with tempfile.TemporaryDirectory(prefix="aapoon-bench-") as data_dir:
        os.environ.pop("DATABASE_URL", None)  # the embedded default: SQLite in DATA_DIR
        os.environ.update(
            DATA_DIR=data_dir,
            DJANGO_SETTINGS_MODULE="config.settings.base",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            LOG_LEVEL="WARNING",
        )
        sys.path.insert(0, str(REPO / "backend"))
        import django

        django.setup()
        from django.core.management import call_command
        from notify_reminders import measure_reminder_scan

        from aapoon.notifications.delivery import deliver_due
        from aapoon.notifications.models import Notification
        from aapoon.notifications.tests.factories import PAYLOAD

        call_command("migrate", verbosity=0)
        Notification.objects.bulk_create(
            (
                Notification(
                    to_email=f"guest{i}@example.com",
                    event="invitation",
                    channel="email",
                    payload=dict(PAYLOAD),
                    dedupe_key=f"bench:{i}",
                )
                for i in range(N)
            ),
            batch_size=1000,
        )
        started = time.perf_counter()
        claimed = 0
        while batch := deliver_due(limit=BATCH):
            claimed += batch
        seconds = time.perf_counter() - started
        sent = Notification.objects.filter(status=Notification.Status.SENT).count()
        reminders = measure_reminder_scan(meetings=MEETINGS)
    smtp.stop()
    print(
        json.dumps(
            {
                "benchmark": "notifications outbox: SMTP delivery and reminder scan",
                "database": "sqlite",
                "delivery": {
                    "n": N,
                    "batch": BATCH,
                    "claimed": claimed,
                    "sent": sent,
                    "received_by_smtp": inbox.count,
                    "seconds": round(seconds, 3),
                    "deliveries_per_second": round(sent / seconds, 1),
                },
                "reminder_scan": reminders,
            }
        )
    )


if __name__ == "__main__":
    main()
