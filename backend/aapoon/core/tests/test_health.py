"""Liveness and readiness probes."""

from datetime import timedelta

import pytest
from dbtasks.models import Worker
from django.utils import timezone

from aapoon.core import health

REDIS_LAYER = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": ["redis://127.0.0.1:6379/0"]},
    }
}


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_needs_no_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_get_only(client, db, path):
    assert client.post(path).status_code == 405


def _worker(seconds_ago: float) -> Worker:
    return Worker.objects.create(id="worker-1", last_seen=timezone.now() - timedelta(seconds=seconds_ago))


def test_readyz_all_ok_with_a_live_task_runner(client, db):
    _worker(seconds_ago=5)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": True, "channel_layer": True, "task_runner": True},
    }


def test_readyz_without_a_task_runner_is_503(client, db):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "channel_layer": True, "task_runner": False},
    }


def test_readyz_with_a_stale_task_runner_is_503(client, db):
    _worker(seconds_ago=600)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["task_runner"] is False


def test_readyz_reports_a_broken_database_as_not_ready(client, db, monkeypatch):
    _worker(seconds_ago=1)

    def broken() -> bool:
        raise RuntimeError("connection refused")

    monkeypatch.setattr(health, "_database_ok", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": False, "channel_layer": True, "task_runner": True}


def test_readyz_without_a_channel_layer_is_503(client, db, settings):
    _worker(seconds_ago=1)
    settings.CHANNEL_LAYERS = {}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "channel_layer": False, "task_runner": True}


def test_readyz_with_an_unreachable_redis_is_503_not_500(client, db, settings):
    _worker(seconds_ago=1)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},  # nothing listens on port 1
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["channel_layer"] is False


def test_readyz_with_redis(client, db, settings):
    _worker(seconds_ago=1)
    settings.CHANNEL_LAYERS = REDIS_LAYER
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["channel_layer"] is True
