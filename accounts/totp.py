"""Time-based one-time passwords (RFC 6238) as authenticator apps and allauth compute them.

Only what ``manage.py totp_code`` needs to sign in to a demo or test account without an
authenticator app or ``oathtool``: SHA-1, 6 digits, 30-second steps (allauth's defaults).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

PERIOD = 30
DIGITS = 6


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code for a base32 ``secret`` at the Unix time ``at`` (now by default)."""
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // PERIOD)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def seconds_left(*, at: float | None = None) -> int:
    """How long the current code stays valid."""
    now = time.time() if at is None else at
    return PERIOD - int(now % PERIOD)
