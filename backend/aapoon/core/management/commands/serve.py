"""Serve HTTP, the API and WebSockets with uvicorn, and run background tasks in the same process."""

import copy
import threading
from typing import Any

import uvicorn
from dbtasks.runner import Runner
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from uvicorn.config import LOGGING_CONFIG


class Command(BaseCommand):
    help = "Run the product: uvicorn (ASGI) plus, in the embedded default, the task runner."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        runner = None
        if settings.TASK_RUNNER_IN_PROCESS:
            runner = Runner(workers=2, worker_id=f"serve-{options['port']}")
            threading.Thread(target=runner.run, name="task-runner", daemon=True).start()
        try:
            uvicorn.run(
                "config.asgi:application",
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                lifespan="off",
                log_level="info",
                log_config=_log_config(),
                access_log=False,
            )
        finally:
            if runner is not None:
                runner.stop()


def _log_config() -> dict[str, Any]:
    """uvicorn's own logging, with meeting tickets taken out of the WebSocket lines."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_tickets": {"()": "aapoon.core.logging.RedactTickets"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_tickets"]
    return config
