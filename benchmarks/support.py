"""Shared pieces of the HTTP benchmarks: a throwaway database, gunicorn, a load generator.

Everything runs on this machine: gunicorn and PostgreSQL on loopback, bounded loops that stop by
themselves. Results are printed as one JSON line and written to benchmarks/results/.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"


# -- database ---------------------------------------------------------------------------------


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    if not db_name(url).endswith("_bench"):
        raise SystemExit(f"Refusing to drop {db_name(url)!r}: use a *_bench database.")
    return url


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance(url: str):
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def recreate_database(url: str) -> None:
    drop_database(url)
    with _maintenance(url) as conn:
        conn.execute(f'CREATE DATABASE "{db_name(url)}"')


def drop_database(url: str) -> None:
    with _maintenance(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name(url)}" WITH (FORCE)')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# -- gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    """A free loopback port: the first free one of BENCH_PORTS ("8711-8719") when set, so
    benchmarks on a shared machine stay in their own range; otherwise any free port."""
    low, _, high = os.environ.get("BENCH_PORTS", "").partition("-")
    candidates = range(int(low), int(high or low) + 1) if low else [0]
    for candidate in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"No free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class CpuMeter:
    """CPU seconds spent from now until `read()`: the whole machine, this process (the
    client), the server's process tree (the portal) and PostgreSQL's processes, from /proc.

    ``other`` is the rest: the kernel's network and disk work, Redis, and processes that ended
    during the window (a restarted PostgreSQL's first processes), which /proc no longer shows."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.start = self._sample()

    @staticmethod
    def _stat(pid: int | str) -> tuple[str, float] | None:
        try:
            raw = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return None
        name, rest = raw[raw.index("(") + 1:raw.rindex(")")], raw[raw.rindex(")") + 2:].split()
        return name, (int(rest[11]) + int(rest[12])) / CpuMeter.TICK  # utime + stime

    def _tree(self, pid: int) -> list[int]:
        found, queue = [], [pid]
        while queue:
            current = queue.pop()
            found.append(current)
            for task in Path(f"/proc/{current}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    queue.extend(int(child) for child in task.read_text().split())
        return found

    def _sample(self) -> dict[str, float]:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq = (int(f) for f in fields[:7])
        times = os.times()
        portal = sum(s[1] for s in map(self._stat, self._tree(self.server_pid)) if s)
        postgres = sum(s[1] for s in map(self._stat, (d.name for d in Path("/proc").iterdir()
                                                       if d.name.isdigit()))
                       if s and s[0].startswith("postgres"))
        return {"machine": (user + nice + system + irq + softirq) / self.TICK,
                "client": times.user + times.system, "portal": portal, "postgres": postgres}

    def read(self) -> dict[str, float]:
        end = self._sample()
        spent = {k: round(end[k] - self.start[k], 2) for k in end}
        spent["other"] = round(spent["machine"] - spent["client"] - spent["portal"]
                               - spent["postgres"], 2)
        return spent


def start_gunicorn(url: str, *, workers: int = 3, threads: int = 4, port: int | None = None,
                   env: dict | None = None) -> Server:
    port = port or free_port()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
           **(env or {})}
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--threads", str(threads), "--timeout", "120",
               "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "GET", "/bench/trivial/")
            if status == 200:
                return Server(port, process)
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("gunicorn did not start")


# -- throwaway servers for outage runs (never the shared PostgreSQL or Redis) ----------------


def port_is_free(port: int) -> bool:
    """Nobody listens on the port (connections of a server just stopped may linger)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _require_free(port: int) -> None:
    if not port_is_free(port):
        raise SystemExit(f"Port {port} is in use: choose another with the benchmark's options.")


class PostgresCluster:
    """A PostgreSQL cluster of its own in a temporary directory, on loopback, that can be
    restarted and is removed afterwards. Runs as the ``postgres`` user when started as root."""

    BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))

    def __init__(self, port: int) -> None:
        _require_free(port)
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(str(self.BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "-E", "UTF8", "--no-instructions")
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c max_connections=100 "
                   f"-c unix_socket_directories={self.root} -c shared_buffers=128MB")
        self._run(str(self.BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                  "-o", options, "start")

    def restart(self) -> float:
        """Stop (fast: sessions are terminated, as in a failover) and start; seconds it took."""
        started = time.monotonic()
        self._run(str(self.BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "restart")
        return time.monotonic() - started

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self._run(str(self.BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                      "stop")
        shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    """A redis-server of its own on loopback, without persistence, that can be stopped."""

    def __init__(self, port: int) -> None:
        _require_free(port)
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="bench-redis-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.root)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while port_is_free(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


# -- HTTP -------------------------------------------------------------------------------------


def request(port: int, method: str, path: str, *, body: bytes | None = None,
            headers: dict | None = None, conn: http.client.HTTPConnection | None = None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, other: LoadResult) -> None:
        self.requests += other.requests
        self.errors += other.errors
        self.latencies.extend(other.latencies)
        self.seconds += other.seconds

    def summary(self) -> dict:
        ordered = sorted(self.latencies) or [0.0]
        return {
            "requests": self.requests, "errors": self.errors,
            "rps": round(self.requests / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1 if len(ordered) > 1 else 0]
                            * 1000, 1),
        }


def hammer(port: int, path: str | Callable[[], str], *, concurrency: int, seconds: float,
           headers: dict | None = None) -> LoadResult:
    """GET `path` (or a path from calling it, per request) from `concurrency` keep-alive
    clients for `seconds` (bounded)."""
    result, lock = LoadResult(), threading.Lock()
    stop_at = time.monotonic() + seconds
    next_path = path if callable(path) else (lambda: path)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status, _ = request(port, "GET", next_path(), conn=conn, headers=headers)
            except OSError:
                status, conn = 0, http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                result.requests += 1
                result.latencies.append(elapsed)
                result.errors += status != 200
        conn.close()

    run_threads(client, concurrency)
    result.seconds = seconds
    return result


def run_threads(target: Callable[[], None], count: int) -> None:
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def report(name: str, result: dict) -> None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    line = json.dumps({"benchmark": name, "at": stamp, **result})
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}-{stamp}.json").write_text(line + "\n")
    print(line)
