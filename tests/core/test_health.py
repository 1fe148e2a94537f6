"""/healthz: database, cache and broker, each answered within a couple of seconds."""

from __future__ import annotations

import time

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

from core import health
from tests.core.brokers import SilentServer, celery_broker, free_port

pytestmark = pytest.mark.django_db


def test_everything_up(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    for check in body["checks"].values():
        assert check["ok"] is True
        assert isinstance(check["latency_ms"], float)
    assert response["Cache-Control"].startswith("max-age=0")


def test_broker_down_is_degraded_but_still_200(client):
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):
        started = time.monotonic()
        response = client.get(reverse("core:healthz"))
        elapsed = time.monotonic() - started
    assert elapsed < 3
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    broker = body["checks"]["broker"]
    assert (broker["ok"], broker["error"]) == (False, "OperationalError")


def test_hanging_broker_costs_at_most_the_probe_timeout():
    server = SilentServer()
    try:
        with celery_broker(f"redis://127.0.0.1:{server.port}/0"):
            started = time.monotonic()
            report = health.health_report()
            elapsed = time.monotonic() - started
    finally:
        server.stop()
    assert report["checks"]["broker"]["ok"] is False
    assert elapsed < 3.5


def test_cache_that_loses_values_is_degraded(client, monkeypatch):
    monkeypatch.setattr(health.cache, "get", lambda key, default=None: None)
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"]["ok"] is False


def test_database_down_is_503(client, monkeypatch):
    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "check_database", down)
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == {
        "ok": False, "error": "OperationalError",
        "latency_ms": body["checks"]["database"]["latency_ms"],
    }


def test_filesystem_broker_is_ok_when_its_folder_is_writable(tmp_path):
    folder = tmp_path / "queue"
    with celery_broker("filesystem://", {"data_folder_in": str(folder)}):
        result = health.check_broker()
    assert result == {"transport": "filesystem"}
    assert list(folder.iterdir()) == []  # the probe file is removed


def test_filesystem_broker_fails_when_its_folder_cannot_be_written(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with celery_broker("filesystem://", {"data_folder_in": str(blocker / "queue")}):
        report = health.health_report()
    assert report["checks"]["broker"]["ok"] is False
