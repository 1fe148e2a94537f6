"""Point Celery at another broker for a test, and servers that misbehave like a broken one."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from config.celery import app

# What production uses with REDIS_URL (config/settings/base.py): fail fast, never retry.
FAST_FAIL_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2, "max_retries": 0}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _drop_connections() -> None:
    # Celery caches a connection pool and a producer pool built from the broker URL.
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_broker(url: str, transport_options: dict | None = None) -> Iterator:
    """Use ``url`` as Celery's broker inside the block, then restore the previous one."""
    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    _drop_connections()
    app.conf.broker_url = url
    app.conf.broker_transport_options = dict(FAST_FAIL_OPTIONS, **(transport_options or {}))
    try:
        yield app
    finally:
        _drop_connections()
        app.conf.broker_url, app.conf.broker_transport_options = saved


class SilentServer:
    """Accepts TCP connections and never answers: a frozen or overloaded Redis."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(conn)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        for conn in self.connections:
            conn.close()
        self.server.close()


class RedisServer:
    """A throwaway redis-server on a fixed port, without persistence, that can be restarted."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port = port
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @staticmethod
    def binary() -> str | None:
        return shutil.which("redis-server")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._wait_until(accepting=True)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None
        self._wait_until(accepting=False)

    def client(self):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # redis-py retries refused connections with backoff by default (seconds per call).
        return redis.Redis(
            host="127.0.0.1", port=self.port, socket_timeout=2, retry=Retry(NoBackoff(), 0)
        )

    def _wait_until(self, *, accepting: bool, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._accepting() == accepting:
                return
            time.sleep(0.05)
        state = "start" if accepting else "stop"
        raise RuntimeError(f"redis-server on port {self.port} did not {state} in {timeout} s")

    def _accepting(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:
            return False
