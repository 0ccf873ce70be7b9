"""Serve HTTP, the API and WebSockets with uvicorn, and run background tasks in the same process.

Companions (settings.SERVE_COMPANIONS: import paths of zero-argument context managers, e.g. the
local Janus and the SFU health monitor) are entered before uvicorn starts and left, in reverse
order, after it stops. Core names them only in settings, so it imports no domain app.
"""

import copy
import signal
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from types import FrameType
from typing import Any

import uvicorn
from dbtasks.runner import Runner
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string
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
            with _signals_raise_stop(), ExitStack() as companions:
                for path in settings.SERVE_COMPANIONS:
                    companions.enter_context(_companion(path))
                self._serve(options)
        except ServerStopped:
            pass
        finally:
            if runner is not None:
                runner.stop()

    def _serve(self, options: dict[str, Any]) -> None:
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


class ServerStopped(Exception):
    """SIGINT or SIGTERM arrived: leave the companions in order, then return."""


@contextmanager
def _signals_raise_stop() -> Iterator[None]:
    """After its graceful shutdown uvicorn re-raises the signal it caught; by default that would end
    the process at once and skip stopping the companions (a local Janus would outlive us)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise ServerStopped(signal.Signals(signum).name)

    originals = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in originals.items():
            signal.signal(signum, handler)


def _companion(path: str) -> AbstractContextManager[object]:
    factory = import_string(path)
    manager = factory()
    if not isinstance(manager, AbstractContextManager):
        raise TypeError(f"SERVE_COMPANIONS entry {path} must be a context manager factory")
    return manager


def _log_config() -> dict[str, Any]:
    """uvicorn's own logging, with meeting tickets taken out of the WebSocket lines."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_tickets": {"()": "aapoon.core.logging.RedactTickets"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_tickets"]
    return config
