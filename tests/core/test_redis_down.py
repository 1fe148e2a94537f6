"""Redis goes away: pages and form submits still work fast, work waits in the outbox, and the
relay delivers it exactly once when Redis is back (perf_reliability.md, implication 8).

A throwaway redis-server (no persistence) is started on a free port, used as Celery's broker
and as the django-redis cache, stopped, and started again on the same port.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from compliance import services as compliance_services
from compliance.services import RUN_CHECK_TASK
from core import outbox
from core.models import OutboxMessage
from core.notifications import EMAIL_TASK
from tests import factories
from tests.core.brokers import RedisServer, celery_broker, free_port

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),  # real commits, so on_commit runs in the request
    pytest.mark.skipif(
        RedisServer.binary() is None, reason="redis-server is not installed (apt redis-server)"
    ),
]

FAST = 3.0  # seconds: "no request hangs" (the broker's socket timeout is 2 s at most)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(port=free_port(), workdir=tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_everywhere(redis_server, settings):
    """Celery's broker and Django's cache both on the throwaway Redis, as with REDIS_URL."""
    settings.CELERY_BROKER_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "redis-down-test",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    with celery_broker(redis_server.url):
        yield redis_server


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def _queued_tasks(server: RedisServer) -> list[dict]:
    return [json.loads(raw)["headers"] for raw in server.client().lrange("celery", 0, -1)]


def test_redis_outage_delays_work_but_never_a_request(client, redis_everywhere, platform_admin):
    redis = redis_everywhere
    authority = factories.AuthorityFactory()
    factories.with_totp(factories.member(authority, "authority_admin"))  # will be notified
    factories.member(authority, "commissioner")  # no authenticator: the MFA check will find them
    client.force_login(platform_admin)

    # With Redis up, the cache and the broker work.
    cache.set("probe", "up")
    assert cache.get("probe") == "up"
    assert client.get(reverse("core:healthz")).json()["status"] == "ok"

    redis.stop()

    # (a) Reading a page and submitting a form both succeed, quickly.
    page, seconds = _timed(lambda: client.get(reverse("compliance:dashboard")))
    assert page.status_code == 200 and seconds < FAST
    url = reverse("compliance:run_check", args=["organisations.staff_without_mfa"])
    submit, seconds = _timed(lambda: client.post(url))
    assert submit.status_code == 302 and seconds < FAST
    notice, seconds = _timed(lambda: client.get(submit["Location"]))
    assert notice.status_code == 200 and seconds < FAST
    assert "The check will run in the next minute" in notice.content.decode()

    # A service that notifies people (one email task each) also completes quickly.
    run, seconds = _timed(
        lambda: compliance_services.check_run(check_id="organisations.staff_without_mfa")
    )
    assert run.succeeded and run.opened_count == 1 and seconds < FAST

    # The cache is down too: it answers "nothing" instead of failing.
    assert cache.get("probe") is None
    health, seconds = _timed(lambda: client.get(reverse("core:healthz")))
    assert health.status_code == 200 and seconds < FAST
    assert health.json()["status"] == "degraded"
    assert not health.json()["checks"]["broker"]["ok"]
    assert not health.json()["checks"]["cache"]["ok"]

    # (b) The work waits in the outbox.
    pending = list(outbox.pending_messages())
    assert [m.task_name for m in pending] == [RUN_CHECK_TASK, EMAIL_TASK]
    assert pending[0].attempts == 1 and pending[0].last_error.startswith("broker:")

    # (c) Redis comes back on the same port; the relay (every minute from beat) delivers.
    redis.start()
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert outbox.relay_pending() == 2
    assert outbox.relay_pending() == 0  # nothing is sent twice
    assert redis.client().llen("celery") == 2
    queued = _queued_tasks(redis)
    assert sorted(h["task"] for h in queued) == sorted([RUN_CHECK_TASK, EMAIL_TASK])
    assert {h["id"] for h in queued} == {outbox.task_id_for(m.pk) for m in pending}
    assert outbox.pending_messages().count() == 0


def test_publishing_after_redis_returns_needs_no_restart(redis_everywhere):
    redis = redis_everywhere
    first = outbox.enqueue("core.example", 1)  # autocommit: published at once
    assert redis.client().llen("celery") == 1

    redis.stop()
    second, seconds = _timed(lambda: outbox.enqueue("core.example", 2))
    assert seconds < FAST
    second.refresh_from_db()
    assert second.published_at is None

    redis.start()
    third = outbox.enqueue("core.example", 3)
    third.refresh_from_db()
    assert third.published_at is not None  # the web process reconnects by itself
    assert outbox.relay_pending(min_age=timedelta(0)) == 1
    assert redis.client().llen("celery") == 2  # the first message died with the old Redis
    first.refresh_from_db()
    assert first.published_at is not None
