"""Encryption at rest for what the panel holds about people: pool answers and bank details.

Keys live outside the database in ``settings.CITIZENS_DATA_KEYS`` (an environment secret,
several comma-separated for rotation: the first encrypts, any decrypts), as the sealed-bid
master keys do. A dump or a backup holds ciphertext only.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac


class DecryptionError(Exception):
    """Stored data could not be decrypted with the configured keys."""


def cipher() -> MultiFernet:
    keys = [key for key in getattr(settings, "CITIZENS_DATA_KEYS", []) if key]
    if not keys:
        raise ImproperlyConfigured(
            "Set CITIZENS_DATA_KEYS: panel pool answers and bank details cannot be stored "
            "without it.")
    return MultiFernet([Fernet(key) for key in keys])


def encrypt_json(value: Any) -> bytes:
    return cipher().encrypt(json.dumps(value, sort_keys=True).encode())


def decrypt_json(blob: bytes | memoryview) -> Any:
    if not blob:
        return None
    try:
        return json.loads(cipher().decrypt(bytes(blob)))
    except InvalidToken as exc:
        raise DecryptionError("The data could not be opened with CITIZENS_DATA_KEYS.") from exc


def rotate(blob: bytes | memoryview) -> bytes:
    return cipher().rotate(bytes(blob))


def household_key(*, address_line: str, postcode: str) -> str:
    """A keyed hash of a normalised address: equal for one household, not reversible."""
    line = re.sub(r"[^a-z0-9]", "", (address_line or "").lower())
    code = re.sub(r"\s+", "", (postcode or "").upper())
    return salted_hmac("citizens.household", f"{line}|{code}", algorithm="sha256").hexdigest()
