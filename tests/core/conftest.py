"""Fixtures for the core kernel's tests: a fake clamd and a throwaway media root."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    """A stand-in for clamd speaking INSTREAM on 127.0.0.1 or a unix socket.

    clamd itself is an external service that is not installed here; this fake implements the
    same wire protocol (zINSTREAM, length-prefixed chunks, NUL-terminated reply) so the client
    is exercised end to end over a real socket. `mode` is "scan" (EICAR is FOUND, anything else
    OK), "error" (clamd's size-limit ERROR reply) or "silent" (never answers).
    """

    def __init__(self, *, mode: str = "scan", unix_path: Path | None = None) -> None:
        self.mode = mode
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        family = socket.AF_UNIX if unix_path else socket.AF_INET
        self.server = socket.socket(family, socket.SOCK_STREAM)
        self.server.bind(str(unix_path) if unix_path else ("127.0.0.1", 0))
        self.server.listen(8)
        self.server.settimeout(0.2)
        if unix_path:
            self.address = f"unix://{unix_path}"
        else:
            self.address = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.server.close()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        self.commands.append(_read_until_nul(conn))
        data = _read_frames(conn)
        self.received.append(data)
        if self.mode == "silent":
            self.stopping.wait(3)
            return
        conn.sendall(self._reply(data))

    def _reply(self, data: bytes) -> bytes:
        if self.mode == "error":
            return b"INSTREAM size limit exceeded. ERROR\0"
        if EICAR in data:
            return b"stream: Eicar-Signature FOUND\0"
        return b"stream: OK\0"


def _read_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        piece = conn.recv(size - len(data))
        if not piece:
            raise ConnectionError("client closed the stream early")
        data += piece
    return data


def _read_until_nul(conn: socket.socket) -> bytes:
    command = b""
    while not command.endswith(b"\0"):
        command += _read_exact(conn, 1)
    return command


def _read_frames(conn: socket.socket) -> bytes:
    data = b""
    while True:
        (length,) = struct.unpack("!L", _read_exact(conn, 4))
        if length == 0:
            return data
        data += _read_exact(conn, length)


@pytest.fixture
def fake_clamd() -> Iterator[FakeClamd]:
    server = FakeClamd()
    yield server
    server.stop()


@pytest.fixture
def make_fake_clamd() -> Iterator:
    servers: list[FakeClamd] = []

    def make(**kwargs) -> FakeClamd:
        servers.append(FakeClamd(**kwargs))
        return servers[-1]

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def unreachable_address() -> str:
    """A TCP address on which nothing listens (the port was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Each test stores uploads in its own directory, so stored files can be inspected."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMAV_ADDRESS = None
    return settings.MEDIA_ROOT
