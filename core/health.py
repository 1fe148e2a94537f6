"""Health of the parts the portal depends on, for /healthz and operators.

Each part is probed with a short timeout, so the report comes back in a few seconds even when
Redis or the broker hangs. Only the database is critical: without it no page works, and
/healthz answers 503. A cache or broker outage degrades the portal (the cache falls back to
the database, the outbox holds background work) but pages still work, so it answers 200 with
``"status": "degraded"``. Error details stay in the logs; the public report names only the
exception class.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 2
CRITICAL_CHECKS = ("database",)


def health_report() -> dict[str, Any]:
    """``{"status": "ok"|"degraded", "checks": {name: {"ok", "latency_ms", ...}}}``."""
    checks = {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "broker": _timed(check_broker),
    }
    status = "ok" if all(check["ok"] for check in checks.values()) else "degraded"
    return {"status": status, "checks": checks}


def http_status(report: dict[str, Any]) -> int:
    """503 when a critical part (the database) is down, else 200."""
    critical_ok = all(report["checks"][name]["ok"] for name in CRITICAL_CHECKS)
    return 200 if critical_ok else 503


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_cache() -> dict[str, Any]:
    # django-redis with IGNORE_EXCEPTIONS swallows errors, so compare a round trip instead.
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise ConnectionError("The cache did not return the value just stored.")
    return {}


def check_broker() -> dict[str, Any]:
    from config.celery import app

    url = str(app.conf.broker_url or "")
    if url.startswith("filesystem"):
        return _check_broker_folder(app.conf.broker_transport_options or {})
    with app.connection_for_write(connect_timeout=PROBE_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=PROBE_TIMEOUT_SECONDS
        )
        return {"transport": conn.transport_cls}


def _check_broker_folder(options: dict[str, Any]) -> dict[str, Any]:
    folder = Path(options.get("data_folder_in") or ".")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-", delete=True) as probe:
        probe.write(b"ok")
        probe.flush()
        os.fsync(probe.fileno())
    return {"transport": "filesystem"}


def _timed(probe: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.monotonic()
    try:
        details = probe()
        result: dict[str, Any] = {"ok": True, **details}
    except Exception as exc:  # a probe reports failure; it never raises
        logger.warning("Health probe %s failed: %s", probe.__name__, exc)
        result = {"ok": False, "error": type(exc).__name__}
    result["latency_ms"] = round((time.monotonic() - started) * 1000, 1)
    return result
