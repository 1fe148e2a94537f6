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

This module knows the line format, the keys and the file, and checks the file against itself and
the database's copies; ``core.audit`` writes checkpoints and checks the audit chain against them.
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

from core.models import AuditCheckpoint

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


# -- checking the file against itself and the database's copies ------------------------------


def signed_checkpoints(path: Path, size: int | None, keys: dict[str, bytes]
                       ) -> Iterator[Checkpoint]:
    """The validly signed checkpoints of the file, in order (the others are reported apart)."""
    try:
        for _number, line in read_lines(path, size):
            try:
                yield parse(line, keys)
            except LineProblem:
                continue
    except OSError:
        return  # reported by check_file


def check_file(path: Path, size: int | None, keys: dict[str, bytes],
               recorded: AuditCheckpoint | None) -> tuple[list[str], int, Checkpoint | None]:
    """Check every line's signature and link, and the file against the database's copy."""
    problems: list[str] = []
    state = _FileState()
    copies = _recorded_copies(recorded)
    try:
        for line_number, line in read_lines(path, size):
            try:
                checkpoint = parse(line, keys)
            except LineProblem as exc:
                problems.append(f"checkpoint file line {line_number}: {exc}.")
                state.skip(line)
                continue
            problem = state.follow(checkpoint) or copies.compare(checkpoint)
            if problem:
                problems.append(f"checkpoint file line {line_number}: {problem}")
    except OSError as exc:
        problems.append(f"checkpoint file {path} cannot be read: {exc.strerror or exc}.")
        return problems, state.count, state.last
    if recorded is not None and (state.last is None or state.last.number < recorded.number):
        problems.append(file_behind(path, size, state.last, recorded))
    return problems, state.count, state.last


@dataclass
class _FileState:
    """The line before the one being read, to check that each line follows it."""

    last: Checkpoint | None = None
    previous_digest: str | None = None
    previous_reported: bool = False
    previous_unreadable: bool = False
    count: int = 0

    def skip(self, line: bytes) -> None:
        self.previous_digest, self.previous_reported = line_digest(line), True
        self.previous_unreadable = True

    def follow(self, checkpoint: Checkpoint) -> str | None:
        problem = self._link_problem(checkpoint)
        if problem is None and self.last and checkpoint.sequence < self.last.sequence:
            problem = (f"checkpoint #{checkpoint.number} signs head entry {checkpoint.sequence}, "
                       f"older than the head entry {self.last.sequence} of the one before it.")
        self.previous_digest, self.previous_reported = checkpoint.digest, problem is not None
        self.previous_unreadable = False
        self.last, self.count = checkpoint, self.count + 1
        return problem

    def _link_problem(self, checkpoint: Checkpoint) -> str | None:
        if self.previous_unreadable:
            return None  # the line before was reported already; its place cannot be judged
        expected = self.last.number + 1 if self.last else 1
        if checkpoint.number > expected:
            missing = (f"checkpoint #{expected} is" if checkpoint.number == expected + 1
                       else f"checkpoints #{expected} to #{checkpoint.number - 1} are")
            return f"checkpoint #{checkpoint.number} follows #{expected - 1}: {missing} missing " \
                "from the file (lines were removed)."
        if checkpoint.number < expected:
            return f"checkpoint #{checkpoint.number} appears after #{expected - 1}: lines were " \
                "inserted, repeated or reordered."
        previous = self.previous_digest or GENESIS_DIGEST
        if checkpoint.prev != previous and not self.previous_reported:
            return f"checkpoint #{checkpoint.number} does not follow the line before it: " \
                "a line was replaced."
        return None


class _RecordedCopies:
    """Streams the database's copies of the checkpoints alongside the file, by number."""

    def __init__(self, rows: Iterator[tuple[int, str]]) -> None:
        self.rows = rows
        self.row = next(rows, None)

    def compare(self, checkpoint: Checkpoint) -> str | None:
        while self.row is not None and self.row[0] < checkpoint.number:
            self.row = next(self.rows, None)
        if self.row is None or self.row[0] != checkpoint.number:
            return None
        if self.row[1] != checkpoint.digest:
            return (f"checkpoint #{checkpoint.number} is not the one the database recorded: "
                    "the file was replaced.")
        return None


def _recorded_copies(recorded: AuditCheckpoint | None) -> _RecordedCopies:
    if recorded is None:
        return _RecordedCopies(iter(()))
    rows = (AuditCheckpoint.objects.filter(number__lte=recorded.number).order_by("number")
            .values_list("number", "line_digest").iterator(chunk_size=2000))
    return _RecordedCopies(rows)


def file_behind(path: Path, size: int | None, last: Checkpoint | None,
                recorded: AuditCheckpoint) -> str:
    """What to say when the database recorded a checkpoint the file does not hold."""
    written = f"checkpoint #{recorded.number} of {recorded.created_at:%Y-%m-%dT%H:%M:%SZ}"
    if size is None:
        return (f"checkpoint file {path} is missing, but the database recorded {written}: "
                "the file was removed or the setting points elsewhere.")
    if last is None:
        return f"checkpoint file {path} holds no checkpoint, but the database recorded {written}."
    return (f"checkpoint file ends at checkpoint #{last.number}, but the database recorded "
            f"{written}: the file was cut off or replaced.")
