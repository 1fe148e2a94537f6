"""Sealed bids: envelope encryption with one data key per tender.

Each tender gets a random Fernet data key the first time something is sealed for it. The data
key is stored only wrapped (encrypted) by the master keys in ``settings.BID_MASTER_KEYS``,
which live outside the database (an environment secret or a KMS). A database dump, a backup or
the media directory therefore hold ciphertext only: no answers, prices, commitments or files.

Master key rotation: put the new key FIRST in ``BID_MASTER_KEYS`` and keep the old ones after
it. ``MultiFernet`` encrypts with the first key and decrypts with any of them, so unwrapping
keeps working; ``tender_key_rewrap`` re-wraps stored keys with the new master key, after which
the old one can be removed.

The sealed content payload (``Bid.sealed_content``), the contract other parts of the portal
rely on (evaluation, awards, social value)::

    {
      "answers": {"<TenderQuestion.pk>": "text", ...},
      "price": {"total": "1234.50",
                "breakdown": [{"item": "Staff", "amount": "1000.00"}, ...]},
      "social_value": [
        {"plan_measure_id": 12, "quantity": "2.00", "delivery_plan": "...",
         "owner_name": "...", "milestones": "...", "method_statement": "...",
         "is_local": true, "is_core_deliverable": false,
         "deadweight": "0", "attribution": "100"}, ...
      ],
      "declarations": {"accurate": true, "no_collusion": true}
    }

Money and quantities are strings holding Decimals (never floats). A draft may be incomplete
(keys missing, an answer over its word limit); a SUBMITTED bid's payload passed every check in
``bid_submit``. Read it after opening through ``commissioning.selectors.bids.bid_content``,
which checks permission and audits the access: never call ``unseal`` from a view.

Sealed means the metadata too. A bid file's name is encrypted with the same key as its bytes
(``core.documents``), the receipt keeps only sealed names, and every audit entry about a bid
before the opening is sealed under the tender (``bid_audit_seal``): who started, changed,
uploaded to or submitted a bid, and for which organisation, is readable only after the
two-person opening (``audit_unsealer``), and never includes a file name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from commissioning.models import Opening, Tender, TenderKey
from core.audit_sealing import AuditSeal
from core.selectors import one_or_none

AUDIT_SEAL_KIND = "commissioning.tender"

EMPTY_PAYLOAD: dict[str, Any] = {
    "answers": {}, "price": {}, "social_value": [], "declarations": {},
}


class SealError(Exception):
    """Sealed data could not be opened: wrong key, tampered bytes or a missing master key."""


def master() -> MultiFernet:
    """The key-encryption keys: the first wraps, any of them unwraps."""
    keys = [key for key in getattr(settings, "BID_MASTER_KEYS", []) if key]
    if not keys:
        raise ImproperlyConfigured("Set BID_MASTER_KEYS: sealed bids cannot be stored without it.")
    return MultiFernet([Fernet(key) for key in keys])


# For ``select_related``: a tender read with its wrapped key costs no query for the key.
KEY = "key"


def tender_key(tender: Tender) -> Fernet:
    """The tender's data key, created on first use.

    Two requests sealing the first bids of a tender at the same moment create one key, not
    two: the key is unique per tender, so the second insert waits for the first and, once it
    commits, fails; the second then reads the first's key. (No lock on the tender row: bid
    requests hold its shared lock, and two of them upgrading it would wait for each other.)
    The unwrapped key is kept on the tender instance for the rest of the request (a data key
    never changes; re-wrapping changes only how it is stored).
    """
    cached = tender.__dict__.get("_data_key")
    if cached is not None and cached[0] == tuple(settings.BID_MASTER_KEYS):
        return cached[1]
    if Tender.key.related.is_cached(tender):  # read with the tender: select_related(KEY)
        key = Tender.key.related.get_cached_value(tender)
    else:
        key = one_or_none(TenderKey.objects.filter(tender_id=tender.pk))
    if key is None:
        wrapped = master().encrypt(Fernet.generate_key())
        try:
            with transaction.atomic():
                key = TenderKey.objects.create(tender_id=tender.pk, wrapped_key=wrapped)
        except IntegrityError:
            key = TenderKey.objects.get(tender_id=tender.pk)
    fernet = _unwrap(key)
    tender.__dict__["_data_key"] = (tuple(settings.BID_MASTER_KEYS), fernet)
    return fernet


def _unwrap(key: TenderKey) -> Fernet:
    try:
        return Fernet(master().decrypt(bytes(key.wrapped_key)))
    except InvalidToken as exc:
        raise SealError(
            "The tender's key cannot be unwrapped with the configured BID_MASTER_KEYS."
        ) from exc


@transaction.atomic
def tender_key_rewrap(tender: Tender) -> bool:
    """Re-wrap the tender's data key with the first master key; True if a key was re-wrapped."""
    key = TenderKey.objects.select_for_update().filter(tender_id=tender.pk).first()
    if key is None:
        return False
    key.wrapped_key = master().rotate(bytes(key.wrapped_key))
    key.save(update_fields=["wrapped_key"])
    return True


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON bytes: sorted keys, no spaces, UTF-8 (used for hashes too)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seal(*, tender: Tender, payload: dict[str, Any]) -> bytes:
    """Encrypt a bid payload with the tender's data key."""
    return tender_key(tender).encrypt(canonical_json(payload))


def unseal(*, tender: Tender, blob: bytes) -> dict[str, Any]:
    """Decrypt a payload sealed for this tender; an empty blob is an empty draft."""
    if not blob:
        return json.loads(json.dumps(EMPTY_PAYLOAD))
    try:
        return json.loads(tender_key(tender).decrypt(bytes(blob)))
    except InvalidToken as exc:
        raise SealError("The sealed bid could not be opened with this tender's key.") from exc


def sealer(tender: Tender) -> Callable[[bytes], bytes]:
    """bytes -> ciphertext, for ``core.documents.document_store(encrypt=...)``."""
    key = tender_key(tender)
    return key.encrypt


def unsealer(tender: Tender) -> Callable[[bytes], bytes]:
    """ciphertext -> bytes, for ``core.documents.document_response(decrypt=...)``."""
    key = tender_key(tender)

    def decrypt(blob: bytes) -> bytes:
        try:
            return key.decrypt(blob)
        except InvalidToken as exc:
            raise SealError("The sealed file could not be opened with this tender's key.") from exc

    return decrypt


def is_opened(tender_id: int) -> bool:
    """The tender had its two-person opening (requested and confirmed)."""
    return Opening.objects.filter(tender_id=tender_id, confirmed_at__isnull=False).exists()


def bids_are_opened(tender: Tender) -> bool:
    """``is_opened``, without a query while the tender is still open for bids (the busy path)."""
    return tender.status != Tender.Status.PUBLISHED and is_opened(tender.pk)


def bid_audit_seal(tender: Tender) -> AuditSeal | None:
    """The seal for audit entries about the tender's bids: None once the bids are opened."""
    if bids_are_opened(tender):
        return None
    return AuditSeal(encrypt=sealer(tender), under=f"{AUDIT_SEAL_KIND}:{tender.pk}")


def audit_unsealer(reference: str) -> Callable[[bytes], bytes] | None:
    """Entries sealed under a tender become readable after its opening (None before)."""
    if not reference.isdigit():
        return None
    tender = Tender.objects.filter(pk=int(reference)).first()
    if tender is None or not is_opened(tender.pk):
        return None
    return unsealer(tender)


def text_sealer(tender: Tender) -> Callable[[str], str]:
    """str -> ciphertext as ASCII (for JSON fields such as receipts), with the tender's key."""
    key = tender_key(tender)
    return lambda text: key.encrypt(text.encode()).decode("ascii")


def text_unsealer(tender: Tender) -> Callable[[str], str]:
    """ciphertext (ASCII) -> str, the inverse of ``text_sealer``."""
    key = tender_key(tender)

    def decrypt(token: str) -> str:
        try:
            return key.decrypt(token.encode("ascii")).decode()
        except InvalidToken as exc:
            raise SealError("The sealed text could not be opened with this tender's key.") from exc

    return decrypt
