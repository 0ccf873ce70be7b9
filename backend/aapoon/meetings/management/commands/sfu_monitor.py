"""Production: the SFU health monitor as its own process (see aapoon.meetings.sfu_monitor)."""

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from aapoon.meetings.sfu_monitor import SfuMonitor


class Command(BaseCommand):
    help = "Check the Janus nodes' health and move meetings off dead nodes, until stopped."

    def handle(self, *args: Any, **options: Any) -> None:
        monitor = SfuMonitor()

        def stop(signum: int, frame: FrameType | None) -> None:
            monitor.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write("sfu monitor running; stop with SIGTERM or Ctrl-C")
        monitor.run()
