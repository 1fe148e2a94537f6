"""Bid receipts: what proves that a bid was received, when, and exactly what it contained.

A receipt holds the server time of the accepted submission (to the microsecond, stored in UTC
and shown in London time), the SHA-256 of each file's plaintext and the SHA-256 of the whole
submission. The whole-submission hash is over canonical JSON (sorted keys, no spaces, UTF-8)
of ``{"content": <the sealed payload>, "files": <file_hashes>}``; anybody holding the bid and
its files can recompute it, and so can the authority after opening (``submission_digest``).

The receipt row keeps each file's name sealed with the tender's key (``name_sealed`` instead of
``name``: a file's name is bid content, and a database dump must not show it); ``receipt_files``
gives the list back with the names, exactly as the digest was computed over it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from commissioning.models import Bid, BidFile, BidReceipt, Tender
from commissioning.sealing import canonical_json, text_sealer, text_unsealer, unsealer
from core.documents import document_name

_ALPHABET = string.ascii_uppercase + string.digits
_REFERENCE_SAFE = re.compile(r"[^A-Z0-9-]+")


def receipt_number(bid: Bid) -> str:
    """'RCPT-<tender reference>-<6 random characters>', unique (checked by the caller)."""
    reference = _REFERENCE_SAFE.sub("-", bid.tender.reference.upper()).strip("-")[:24]
    suffix = "".join(secrets.choice(_ALPHABET) for _ in range(6))
    return f"RCPT-{reference or bid.tender_id}-{suffix}"


def file_hashes(files: list[BidFile], *, tender: Tender) -> list[dict[str, Any]]:
    """One entry per file, in a stable order: slot, file name, size and SHA-256 of plaintext."""
    decrypt = unsealer(tender) if files else None
    entries = [
        {
            "slot": bid_file.slot.name if bid_file.slot_id else "",
            "name": document_name(bid_file.document, decrypt=decrypt),
            "size": bid_file.document.size,
            "sha256": bid_file.document.sha256,
        }
        for bid_file in files
    ]
    return sorted(entries, key=lambda e: (e["slot"], e["name"], e["sha256"]))


def sealed_file_hashes(bid: Bid, hashes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The file list as the receipt row stores it: each name sealed with the tender's key."""
    stored, seal_name = [], text_sealer(bid.tender)
    for entry in hashes:
        entry = dict(entry)
        entry["name_sealed"] = seal_name(entry.pop("name"))
        stored.append(entry)
    return stored


def receipt_files(receipt: BidReceipt) -> list[dict[str, Any]]:
    """The receipt's file list with the names unsealed (for the bidder's own receipt)."""
    files = []
    unseal_name = text_unsealer(receipt.bid.tender) if receipt.file_hashes else None
    for entry in receipt.file_hashes:
        entry = dict(entry)
        if "name_sealed" in entry:
            entry["name"] = unseal_name(entry.pop("name_sealed"))
        files.append(entry)
    return files


def submission_digest(payload: dict[str, Any], hashes: list[dict[str, Any]]) -> str:
    """SHA-256 of the canonical JSON of the plaintext payload and the file hashes."""
    return hashlib.sha256(canonical_json({"content": payload, "files": hashes})).hexdigest()


def receipt_text(receipt: BidReceipt, *, files: list[dict[str, Any]] | None = None) -> str:
    """The receipt as plain text: downloaded and emailed (file names and hashes, no content).

    Pages pass `files` from ``selectors.bids.receipt_files_for_user`` (which audits reads
    after the opening); the emailed receipt reads them itself.
    """
    bid = receipt.bid
    return render_to_string("commissioning/bids/receipt.txt", {
        "receipt": receipt, "bid": bid, "tender": bid.tender,
        "files": receipt_files(receipt) if files is None else files,
        "received_local": timezone.localtime(receipt.received_at),
    })


def receipt_filename(receipt: BidReceipt) -> str:
    return f"{receipt.number}.txt"
