"""Sealed audit detail: entries whose who-and-what stays confidential until a seal is lifted.

An entry written with an `AuditSeal` keeps its sequence, time, action and object in the clear
(so the chain, the counts and the object's history stay visible), while the actor, the
organisation, the summary and the changes are encrypted together into
``changes = {"sealed": <ciphertext>, "under": "<kind>:<reference>"}``. The hash of the entry is
computed over this stored form, so `audit_verify` needs no key.

Who may lift a seal is decided by the app that owns it: it registers a resolver for its kind
(`register_audit_unsealer`), which returns a decrypting function once the seal may be lifted
(for sealed bids: after the two-person opening) and None before. Core knows nothing of tenders.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

Cipher = Callable[[bytes], bytes]
Resolver = Callable[[str], Cipher | None]

SEALED_LABEL = "sealed"
SEALED_SUMMARY = "Sealed: the detail is readable after the opening"

_resolvers: dict[str, Resolver] = {}


@dataclass(frozen=True)
class AuditSeal:
    """How to seal an entry: `encrypt` bytes, and `under` names who can lift the seal.

    `under` is "<kind>:<reference>", for example "commissioning.tender:12"; the resolver
    registered for the kind decides when the reference's seal is lifted.
    """

    encrypt: Cipher
    under: str


def sealed_fields(seal: AuditSeal, detail: dict[str, Any]) -> dict[str, Any]:
    """The fields stored for a sealed entry, with `detail` encrypted into `changes`."""
    plaintext = json.dumps(detail, sort_keys=True, separators=(",", ":"), default=str).encode()
    token = base64.b64encode(seal.encrypt(plaintext)).decode("ascii")
    return {
        "actor_id": None,
        "actor_label": SEALED_LABEL,
        "organisation_id": None,
        "summary": SEALED_SUMMARY,
        "changes": {"sealed": token, "under": seal.under},
    }


def register_audit_unsealer(kind: str, resolver: Resolver) -> None:
    """Let `resolver(reference)` decide when entries sealed under "<kind>:..." may be read."""
    _resolvers[kind] = resolver


def is_sealed(entry: Any) -> bool:
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    return entry.actor_label == SEALED_LABEL and "sealed" in changes and "under" in changes


def audit_detail(entry: Any) -> dict[str, Any] | None:
    """Who, for which organisation, the summary and the changes of an entry.

    For a sealed entry this is the decrypted detail once its owner has lifted the seal, and
    None while it is still sealed (or cannot be opened).
    """
    if not is_sealed(entry):
        return {"actor_id": entry.actor_id, "actor_label": entry.actor_label,
                "organisation_id": entry.organisation_id, "summary": entry.summary,
                "changes": entry.changes}
    kind, _, reference = str(entry.changes["under"]).partition(":")
    resolver = _resolvers.get(kind)
    decrypt = resolver(reference) if resolver is not None else None
    if decrypt is None:
        return None
    try:
        return json.loads(decrypt(base64.b64decode(entry.changes["sealed"])))
    except Exception:  # a damaged token or a key that no longer opens it: stays sealed
        logger.warning("Sealed audit entry #%s could not be opened.", entry.sequence)
        return None
