"""A minimal clamd client speaking the INSTREAM protocol (no extra dependency).

clamd reads `zINSTREAM\\0`, then chunks framed as a 4-byte big-endian length followed by the
bytes, then a zero-length chunk, and answers with one NUL-terminated line:
`stream: OK`, `stream: <signature> FOUND` or `<message> ERROR` (for example when the stream
exceeds clamd's StreamMaxLength). Streaming means clamd needs no access to our storage.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DEFAULT_TIMEOUT = 10.0
CHUNK_SIZE = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd could not be reached or did not give a verdict; the file's status is unknown."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""  # the malware name clamd reported, when not clean


def clamav_connect(*, address: str, timeout: float = DEFAULT_TIMEOUT) -> socket.socket:
    """Open a socket to clamd at "unix:///path/to/clamd.ctl" or "tcp://host:port"."""
    parts = urlsplit(address)
    try:
        if parts.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(parts.path)
            return sock
        if parts.scheme == "tcp" and parts.hostname and parts.port:
            return socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    except OSError as exc:
        raise ScannerUnavailable(f"Cannot connect to clamd at {address}: {exc}") from exc
    raise ImproperlyConfigured(
        f"CLAMAV_ADDRESS {address!r} is not understood: use unix:///path or tcp://host:port."
    )


def clamav_scan(
    *, chunks: Iterable[bytes], address: str, timeout: float = DEFAULT_TIMEOUT
) -> ScanResult:
    """Stream `chunks` to clamd and return its verdict, or raise ScannerUnavailable."""
    with clamav_connect(address=address, timeout=timeout) as sock:
        try:
            _send_stream(sock, chunks)
            reply = _read_reply(sock)
        except OSError as exc:
            raise ScannerUnavailable(f"clamd at {address} stopped answering: {exc}") from exc
    return _parse_reply(reply)


def _send_stream(sock: socket.socket, chunks: Iterable[bytes]) -> None:
    sock.sendall(b"zINSTREAM\0")
    for chunk in chunks:
        for start in range(0, len(chunk), CHUNK_SIZE):
            piece = chunk[start : start + CHUNK_SIZE]
            sock.sendall(struct.pack("!L", len(piece)) + piece)
    sock.sendall(struct.pack("!L", 0))


def _read_reply(sock: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0"):
        data = sock.recv(4096)
        if not data:
            break
        reply += data
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def _parse_reply(reply: str) -> ScanResult:
    if reply.endswith("FOUND"):
        verdict = reply.split(":", 1)[-1].strip()
        return ScanResult(clean=False, signature=verdict.removesuffix("FOUND").strip())
    if reply.endswith(": OK") or reply == "OK":
        return ScanResult(clean=True)
    raise ScannerUnavailable(f"clamd gave no verdict: {reply or 'empty reply'}")
