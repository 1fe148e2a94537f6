"""Signed checkpoints of the audit chain's head, kept in an append-only file outside the database.

Somebody who controls the database can cut off the newest audit entries, or rewrite entries and
recompute every hash after them (the algorithm is public). A checkpoint pins the head down where
that person cannot reach: one JSON line per checkpoint in ``AUDIT_CHECKPOINT_PATH``, naming the
head's sequence and hash, signed with an HMAC key from ``AUDIT_CHECKPOINT_KEYS`` (never stored in
the database) and chained to the line before it, the way CloudTrail digest files and Certificate
Transparency's signed tree heads are. A line cannot be edited or forged without the key, nor
removed, inserted or reordered without breaking the chain of lines; ``core.models.AuditCheckpoint``
keeps a copy of each line's digest in the database, so a file that was cut off, replaced or
deleted is noticed too.

This module knows the line format, the keys and the file; ``core.audit`` writes checkpoints and
checks the audit chain against them.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT_VERSION = 1
GENESIS_DIGEST = "0" * 64
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
MIN_SECRET_LENGTH = 32
_TAIL_BLOCK = 4096
_SIGNED_FIELDS = ("v", "number", "at", "sequence", "head", "prev", "kid")


class CheckpointError(Exception):
    """A checkpoint cannot be written: the file, the keys or the chain say something is wrong."""


@dataclass(frozen=True)
class Checkpoint:
    """One signed statement: "at `at`, the chain's head was entry `sequence` with hash `head`"."""

    number: int
    at: str
    sequence: int
    head: str
    prev: str
    kid: str
    sig: str
    line: bytes

    @property
    def digest(self) -> str:
        """What the next line's ``prev`` names (the whole line, signature included)."""
        return line_digest(self.line)

    @property
    def label(self) -> str:
        return f"checkpoint #{self.number} of {self.at}"


def line_digest(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


# -- keys -------------------------------------------------------------------------------------


def parse_keys(entries: list[str]) -> dict[str, bytes]:
    """``["kid:secret", ...]`` to an ordered mapping; the first key signs, every key verifies."""
    keys: dict[str, bytes] = {}
    for entry in entries:
        kid, sep, secret = entry.partition(":")
        if not sep or not KEY_ID_PATTERN.match(kid):
            raise ImproperlyConfigured(
                "AUDIT_CHECKPOINT_KEYS entries are key-id:secret, the id made of letters, digits, "
                "'.', '_' or '-' (see README.md)."
            )
        if len(secret) < MIN_SECRET_LENGTH:
            raise ImproperlyConfigured(
                f"AUDIT_CHECKPOINT_KEYS: the secret of key {kid!r} is shorter than "
                f"{MIN_SECRET_LENGTH} characters."
            )
        if kid in keys:
            raise ImproperlyConfigured(f"AUDIT_CHECKPOINT_KEYS names key {kid!r} twice.")
        keys[kid] = secret.encode()
    return keys


def configured_keys() -> dict[str, bytes]:
    return parse_keys(list(getattr(settings, "AUDIT_CHECKPOINT_KEYS", [])))


def configured_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_PATH)


def _signed_bytes(fields: dict) -> bytes:
    return json.dumps({k: fields[k] for k in _SIGNED_FIELDS}, sort_keys=True,
                      separators=(",", ":")).encode()


def _signature(secret: bytes, fields: dict) -> str:
    return hmac.new(secret, _signed_bytes(fields), hashlib.sha256).hexdigest()


def sign(*, keys: dict[str, bytes], number: int, at: datetime, sequence: int, head: str,
         prev: str) -> Checkpoint:
    """Build and sign the next checkpoint line with the first configured key."""
    if not keys:
        raise ImproperlyConfigured("Set AUDIT_CHECKPOINT_KEYS to sign audit checkpoints.")
    kid, secret = next(iter(keys.items()))
    fields = {"v": FORMAT_VERSION, "number": number, "at": _utc_text(at), "sequence": sequence,
              "head": head, "prev": prev, "kid": kid}
    fields["sig"] = _signature(secret, fields)
    line = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return _checkpoint(fields, line)


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _checkpoint(fields: dict, line: bytes) -> Checkpoint:
    return Checkpoint(number=fields["number"], at=fields["at"], sequence=fields["sequence"],
                      head=fields["head"], prev=fields["prev"], kid=fields["kid"],
                      sig=fields["sig"], line=line)


class LineProblem(Exception):
    """A line that is not a validly signed checkpoint; the message says why."""


def parse(line: bytes, keys: dict[str, bytes]) -> Checkpoint:
    """Parse one line and check its signature; raise LineProblem naming what is wrong."""
    try:
        fields = json.loads(line)
        valid = (
            isinstance(fields, dict) and fields.get("v") == FORMAT_VERSION
            and set(fields) == {*_SIGNED_FIELDS, "sig"}
            and all(isinstance(fields[k], int) and not isinstance(fields[k], bool)
                    for k in ("number", "sequence"))
            and all(isinstance(fields[k], str) for k in ("at", "head", "prev", "kid", "sig"))
        )
    except ValueError:
        valid = False
    if not valid:
        raise LineProblem("not a checkpoint (unreadable)")
    secret = keys.get(fields["kid"])
    if secret is None:
        raise LineProblem(
            f"checkpoint #{fields['number']} is signed with key {fields['kid']!r}, "
            "which is not in AUDIT_CHECKPOINT_KEYS"
        )
    if not hmac.compare_digest(_signature(secret, fields), fields["sig"]):
        raise LineProblem(
            f"checkpoint #{fields['number']}: signature invalid (the line was edited or forged)"
        )
    return _checkpoint(fields, line)


# -- the file ---------------------------------------------------------------------------------


def file_size(path: Path) -> int | None:
    """The file's size now, or None when there is no file."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None


def read_lines(path: Path, upto: int | None) -> Iterator[tuple[int, bytes]]:
    """Stream (line number, line) from the first `upto` bytes (lines written later are left)."""
    if upto is None:
        return
    with path.open("rb") as handle:
        remaining = upto
        for number, raw in enumerate(handle, start=1):
            if remaining <= 0:
                return
            remaining -= len(raw)
            yield number, raw.rstrip(b"\r\n")


def last_line(handle) -> bytes | None:
    """The last line of an open binary file, read backwards from its end (None when empty)."""
    handle.seek(0, os.SEEK_END)
    end = handle.tell()
    if end == 0:
        return None
    data, position = b"", end
    while position > 0:
        step = min(_TAIL_BLOCK, position)
        position -= step
        handle.seek(position)
        data = handle.read(step) + data
        stripped = data.rstrip(b"\n")
        if b"\n" in stripped:
            return stripped.rsplit(b"\n", 1)[1]
    return data.rstrip(b"\n")


@contextmanager
def locked_for_append(path: Path):
    """Open the file for appending under an exclusive lock held until the block ends."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    except OSError as exc:
        raise CheckpointError(f"Cannot open {path} for appending: {exc.strerror or exc}.") from exc
    with os.fdopen(fd, "r+b", buffering=0) as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def append(handle, path: Path, checkpoint: Checkpoint) -> None:
    """Write the line in one call (O_APPEND: never interleaved) and make it durable."""
    try:
        os.write(handle.fileno(), checkpoint.line + b"\n")
        os.fsync(handle.fileno())
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.EACCES):
            raise CheckpointError(f"Cannot append to {path}: {exc.strerror}.") from exc
        raise
