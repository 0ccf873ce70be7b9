"""Liveness and readiness probes for load balancers and `make run`."""

import asyncio
import uuid
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from dbtasks.models import Worker
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


async def _channel_layer_roundtrip() -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    channel = await layer.new_channel()
    marker = uuid.uuid4().hex
    await layer.send(channel, {"type": "readyz.ping", "marker": marker})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    return bool(message.get("marker") == marker)


def _task_runner_ok() -> bool:
    fresh = timezone.now() - timedelta(seconds=60)
    return Worker.objects.filter(last_seen__gte=fresh).exists()


def _check(probe: object) -> bool:
    try:
        return bool(probe())  # type: ignore[operator]
    except Exception:  # a failing dependency is a "not ready" answer, not a 500
        return False


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": _check(_database_ok),
        "channel_layer": _check(async_to_sync(_channel_layer_roundtrip)),
        "task_runner": _check(_task_runner_ok),
    }
    ready = all(checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
