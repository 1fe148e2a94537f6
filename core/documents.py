"""Uploads: checked by content (not by name), hashed on receipt, stored under a random name.

`document_validate` streams the file once: it counts bytes against the size limit, computes
SHA-256, keeps the first bytes for sniffing and checks whether the bytes are plain UTF-8 text.
The type comes from magic bytes (`filetype`) and, for ZIP-based office files, from the archive's
own manifest: `filetype` only looks at the first few ZIP entries in the first 8 KB, so it calls a
LibreOffice-saved .docx a plain ZIP. `document_store` adds the optional ClamAV scan, stores the
bytes through Django's default storage, creates the `Document` and writes the audit entry.
`document_response` serves a document as an attachment that browsers will never render inline.

An encrypted (sealed) document keeps its name sealed too: `original_name` holds only
`SEALED_NAME`, the real name is in `sealed_name`, encrypted with the same cipher as the bytes,
and its audit entry is sealed (see `core.audit_sealing`). `document_name` reads the name back
for whoever holds the key.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone

from core.audit import audit_record
from core.audit_sealing import AuditSeal
from core.clamav import ScannerUnavailable, clamav_scan
from core.models import Document

logger = logging.getLogger(__name__)

Cipher = Callable[[bytes], bytes]

MB = 1024 * 1024
SEALED_NAME = "Sealed file"
DEFAULT_KINDS = frozenset({"pdf", "docx", "xlsx", "odt", "ods", "csv", "txt", "png", "jpg"})

# kind -> (label with article, content type served, file name extensions)
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "pdf": ("a PDF", "application/pdf", ("pdf",)),
    "docx": (
        "a Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    "xlsx": (
        "an Excel spreadsheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
    ),
    "odt": ("an OpenDocument text", "application/vnd.oasis.opendocument.text", ("odt",)),
    "ods": (
        "an OpenDocument spreadsheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        ("ods",),
    ),
    "csv": ("a CSV file", "text/csv; charset=utf-8", ("csv",)),
    "txt": ("a plain text file", "text/plain; charset=utf-8", ("txt",)),
    "png": ("a PNG image", "image/png", ("png",)),
    "jpg": ("a JPEG image", "image/jpeg", ("jpg", "jpeg")),
}
# Recognised but never accepted: named so the error message can say what the file is.
OTHER_LABELS = {
    "zip": "a ZIP archive",
    "docm": "a Word document with macros",
    "xlsm": "an Excel spreadsheet with macros",
    "pptx": "a PowerPoint presentation",
    "odp": "an OpenDocument presentation",
    "doc": "an old-style Word document (.doc)",
    "xls": "an old-style Excel spreadsheet (.xls)",
    "exe": "a program",
    "elf": "a program",
    "gif": "a GIF image",
    "html": "a web page",
}
OOXML_MAIN_PARTS = {
    "wordprocessingml.document.main+xml": "docx",
    "spreadsheetml.sheet.main+xml": "xlsx",
    "presentationml.presentation.main+xml": "pptx",
    "ms-word.document.macroEnabled.main+xml": "docm",
    "ms-excel.sheet.macroEnabled.main+xml": "xlsm",
}
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# Text that a browser or viewer could treat as markup or script is refused outright.
MARKUP = re.compile(
    r"<(?:!doctype|\?xml|html|head|body|script|svg|iframe|object|embed|meta|xml|xsl)\b"
)
SNIFF_BYTES = 8192
MANIFEST_MAX_BYTES = 1 * MB
ZIP_MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class DocumentPolicy:
    """What one upload point accepts.

    `max_bytes=None` means settings.DOCUMENT_MAX_BYTES, read at upload time rather than when the
    policy is built, so a module-level policy follows the settings (and override_settings).
    """

    kinds: frozenset[str] = DEFAULT_KINDS
    max_bytes: int | None = None
    zip_max_ratio: int = 100  # uncompressed / compressed size ...
    zip_max_uncompressed: int = 200 * MB  # ... both exceeded: a zip bomb

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - KINDS.keys()
        if unknown:
            raise ValueError(f"DocumentPolicy names unknown kinds {sorted(unknown)}")

    @property
    def byte_limit(self) -> int:
        return self.max_bytes if self.max_bytes is not None else settings.DOCUMENT_MAX_BYTES

    @property
    def extensions(self) -> list[str]:
        return sorted(f".{ext}" for kind in self.kinds for ext in KINDS[kind][2])

    def describe(self) -> str:
        """'a PDF, Word document or CSV file': the accepted kinds, for messages."""
        labels = [label for kind, (label, _, _) in KINDS.items() if kind in self.kinds]
        names = [labels[0], *(label.split(" ", 1)[1] for label in labels[1:])]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


@dataclass(frozen=True)
class DocumentCheck:
    """What validation learnt about an upload."""

    original_name: str
    kind: str
    content_type: str
    size: int
    sha256: str


# -- validation ------------------------------------------------------------------------------


def document_validate(
    *, uploaded_file: File, policy: DocumentPolicy | None = None
) -> DocumentCheck:
    """Check size, type (by content) and name of an upload; raise ValidationError if refused."""
    policy = policy or DocumentPolicy()
    name = sanitise_filename(uploaded_file.name or "")
    _check_declared_size(uploaded_file, policy)
    probe = _read_through(uploaded_file, policy)
    kind = _kind_for(name, _sniff(uploaded_file, probe, policy))
    _check_allowed(kind, policy)
    name = name or f"document.{KINDS[kind][2][0]}"
    _check_extension(name, kind)
    return DocumentCheck(name, kind, KINDS[kind][1], probe.size, probe.hasher.hexdigest())


def sanitise_filename(name: str) -> str:
    """The base name only, without control or invisible formatting characters, ≤ 255 chars."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    cleaned = "".join(
        char for char in base if unicodedata.category(char) not in {"Cc", "Cf", "Zl", "Zp"}
    ).strip()
    if cleaned in {"", ".", ".."}:
        return ""
    if len(cleaned) > 255:
        suffix = PurePosixPath(cleaned).suffix[:16]
        cleaned = cleaned[: 255 - len(suffix)] + suffix
    return cleaned


class _TextProbe:
    """Decides, chunk by chunk, whether the bytes are UTF-8 text without NULs or markup."""

    def __init__(self) -> None:
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.is_text = True
        self.has_markup = False
        self.tail = ""

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        if not self.is_text:
            return
        try:
            text = self.decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            self.is_text = False
            return
        if "\0" in text:
            self.is_text = False
            return
        window = (self.tail + text).lower()
        self.has_markup = self.has_markup or MARKUP.search(window) is not None
        self.tail = window[-16:]


@dataclass
class _Probe:
    size: int = 0
    head: bytes = b""
    hasher: Any = field(default_factory=hashlib.sha256)
    text: _TextProbe = field(default_factory=_TextProbe)


def _check_declared_size(uploaded_file: File, policy: DocumentPolicy) -> None:
    size = getattr(uploaded_file, "size", None)
    if size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    if size is not None and size > policy.byte_limit:
        raise _too_large(policy)


def _too_large(policy: DocumentPolicy) -> ValidationError:
    return ValidationError(
        f"The selected file must be smaller than {_human_size(policy.byte_limit)}.",
        code="too_large",
    )


def _human_size(size: int) -> str:
    if size >= MB:
        return f"{round(size / MB, 1):g} MB"
    return f"{round(size / 1024, 1):g} KB" if size >= 1024 else f"{size} bytes"


def _read_through(uploaded_file: File, policy: DocumentPolicy) -> _Probe:
    """One pass over the bytes: count, hash, keep the head, probe for text."""
    probe = _Probe()
    for chunk in uploaded_file.chunks():
        probe.size += len(chunk)
        if probe.size > policy.byte_limit:
            raise _too_large(policy)
        if len(probe.head) < SNIFF_BYTES:
            probe.head += chunk[: SNIFF_BYTES - len(probe.head)]
        probe.hasher.update(chunk)
        probe.text.feed(chunk)
    probe.text.feed(b"", final=True)
    if probe.size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    return probe


def _sniff(uploaded_file: File, probe: _Probe, policy: DocumentPolicy) -> str | None:
    """The kind of file the bytes say this is ("text" for plain text), or None if unknown."""
    if probe.head.startswith(b"PK\x03\x04"):
        return _sniff_zip(uploaded_file, probe.size, policy)
    guess = filetype.guess(probe.head)
    if guess is not None:
        return guess.extension
    if probe.text.is_text:
        if probe.text.has_markup:
            raise ValidationError(
                "The selected file contains web page or script code, which is not accepted. "
                "Save it as a PDF or a plain text file and upload that instead.",
                code="markup",
            )
        return "text"
    return None


def _sniff_zip(uploaded_file: File, size: int, policy: DocumentPolicy) -> str:
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            _check_zip_bomb(archive.infolist(), size, policy)
            return _office_kind(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise ValidationError(
            "The selected file is damaged and cannot be opened. Save it again and re-upload it.",
            code="damaged",
        ) from exc


def _check_zip_bomb(infos: list[zipfile.ZipInfo], size: int, policy: DocumentPolicy) -> None:
    expanded = sum(info.file_size for info in infos)
    too_big = expanded > policy.zip_max_ratio * size and expanded > policy.zip_max_uncompressed
    if too_big or len(infos) > ZIP_MAX_ENTRIES:
        raise ValidationError(
            f"The selected file expands to {_human_size(expanded)} when opened, which is far "
            "more than a real document. It was not accepted.",
            code="zip_bomb",
        )


def _office_kind(archive: zipfile.ZipFile) -> str:
    """docx/xlsx from [Content_Types].xml, odt/ods from the `mimetype` entry, else "zip"."""
    names = set(archive.namelist())
    if "mimetype" in names:
        declared = _read_small(archive, "mimetype").strip()
        return ODF_MIMETYPES.get(declared, "zip")
    if "[Content_Types].xml" in names:
        manifest = _read_small(archive, "[Content_Types].xml")
        for part, kind in OOXML_MAIN_PARTS.items():
            if part in manifest:
                return kind
    return "zip"


def _read_small(archive: zipfile.ZipFile, name: str) -> str:
    if archive.getinfo(name).file_size > MANIFEST_MAX_BYTES:
        return ""
    return archive.read(name).decode("utf-8", "replace")


def _kind_for(name: str, sniffed: str | None) -> str | None:
    """Plain text becomes csv or txt by its name; the content already proved it harmless."""
    if sniffed is None and _extension(name) in {"csv", "txt"}:
        raise ValidationError(
            "The selected file is not saved as UTF-8 text. Save it again choosing UTF-8 "
            "(in Excel: Save As, then 'CSV UTF-8') and upload that.",
            code="not_utf8",
        )
    if sniffed != "text":
        return sniffed
    return "csv" if _extension(name) == "csv" else "txt"


def _extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


def _label(kind: str | None) -> str:
    if kind in KINDS:
        return KINDS[kind][0]
    return OTHER_LABELS.get(kind or "", "a type of file")


def _check_allowed(kind: str | None, policy: DocumentPolicy) -> None:
    if kind in policy.kinds:
        return
    if kind is None:
        message = f"The selected file must be {policy.describe()}."
    else:
        message = (
            f"The selected file is {_label(kind)}, which is not accepted here. "
            f"Upload {policy.describe()}."
        )
    raise ValidationError(message, code="type_not_allowed")


def _check_extension(name: str, kind: str) -> None:
    extensions = KINDS[kind][2]
    if _extension(name) in extensions:
        return
    raise ValidationError(
        f"The file is called {name} but it is {_label(kind)}. Rename it to end in "
        f".{extensions[0]}, or choose the right file.",
        code="extension_mismatch",
    )


# -- storing ---------------------------------------------------------------------------------


def document_store(
    *,
    uploaded_file: File,
    actor: Any,
    policy: DocumentPolicy | None = None,
    encrypt: Cipher | None = None,
    audit_seal: AuditSeal | None = None,
) -> Document:
    """Validate, scan (when ClamAV is configured), store and audit one upload.

    `encrypt` turns the plaintext into the bytes kept at rest (sealed bids), and the file's name
    into `sealed_name`; the audit entry is then sealed with `audit_seal` (or, without one, for
    good). The SHA-256 is always of the plaintext, so receipts match what the uploader holds.
    A file that clamd finds infected is refused and not kept; a scanner that cannot be reached
    leaves the document stored with scan status FAILED, so that a slow scanner never loses a
    submission.
    """
    check = document_validate(uploaded_file=uploaded_file, policy=policy)
    scan_status = _scan(uploaded_file, check, actor, sealed=encrypt is not None)
    stored_name = _save_bytes(uploaded_file, check, encrypt)
    if encrypt is not None and audit_seal is None:
        audit_seal = AuditSeal(encrypt=encrypt, under="")
    try:
        return _record(check, stored_name, scan_status, actor, encrypt=encrypt, seal=audit_seal)
    except BaseException:
        default_storage.delete(stored_name)
        raise


def _scan(uploaded_file: File, check: DocumentCheck, actor: Any, *, sealed: bool) -> str:
    address = getattr(settings, "CLAMAV_ADDRESS", None)
    name = SEALED_NAME if sealed else check.original_name
    if not address:
        return Document.ScanStatus.NOT_SCANNED
    try:
        result = clamav_scan(chunks=uploaded_file.chunks(), address=address)
    except ScannerUnavailable as exc:
        logger.warning(
            "Stored %s unscanned (sha256 %s): %s", name, check.sha256, exc
        )
        return Document.ScanStatus.FAILED
    if not result.clean:
        logger.warning(
            "Refused upload %s by %s: %s (sha256 %s)",
            name, getattr(actor, "pk", None), result.signature, check.sha256,
        )
        raise ValidationError(
            "This file contains a virus or malware and was not accepted.", code="malware"
        )
    return Document.ScanStatus.CLEAN


def _save_bytes(uploaded_file: File, check: DocumentCheck, encrypt: Cipher | None) -> str:
    """Save under a random name (never the uploader's) and return the storage name."""
    suffix = "bin" if encrypt else KINDS[check.kind][2][0]
    name = f"documents/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{suffix}"
    if encrypt is None:
        uploaded_file.seek(0)
        # Wrapped, so that FileSystemStorage copies a disk-backed upload rather than moving
        # the caller's temporary file away from under it.
        return default_storage.save(name, File(uploaded_file.file))
    plaintext = b"".join(uploaded_file.chunks())
    return default_storage.save(name, ContentFile(encrypt(plaintext)))


@transaction.atomic
def _record(
    check: DocumentCheck, stored_name: str, scan_status: str, actor: Any, *,
    encrypt: Cipher | None, seal: AuditSeal | None,
) -> Document:
    encrypted = encrypt is not None
    document = Document.objects.create(
        file=stored_name,
        original_name=SEALED_NAME if encrypted else check.original_name,
        sealed_name=encrypt(check.original_name.encode()) if encrypted else b"",
        kind=check.kind,
        content_type=check.content_type,
        size=check.size,
        sha256=check.sha256,
        scan_status=scan_status,
        encrypted=encrypted,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="document.uploaded",
        obj=document,
        summary="Uploaded a sealed file" if encrypted else f"Uploaded {check.original_name}"[:500],
        seal=seal,
        changes={
            "sha256": check.sha256,
            "size": check.size,
            "kind": check.kind,
            "scan_status": scan_status,
            "encrypted": encrypted,
        },
    )
    return document


# -- serving ---------------------------------------------------------------------------------


def document_name(document: Document, *, decrypt: Cipher | None = None) -> str:
    """The uploader's file name; a sealed document's needs `decrypt` (else `SEALED_NAME`)."""
    if not (document.encrypted and document.sealed_name):
        return document.original_name
    if decrypt is None:
        return SEALED_NAME
    return decrypt(bytes(document.sealed_name)).decode()


def document_response(document: Document, *, decrypt: Cipher | None = None) -> FileResponse:
    """The document as a download that browsers never render inline from our origin.

    The caller (a view) checks permission first. Encrypted documents need `decrypt`.
    """
    response = FileResponse(
        _open_plaintext(document, decrypt),
        as_attachment=True,
        filename=document_name(document, decrypt=decrypt),
        content_type=_served_content_type(document),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


def _open_plaintext(document: Document, decrypt: Cipher | None) -> Any:
    handle = default_storage.open(document.file.name, "rb")
    if not document.encrypted:
        return handle
    if decrypt is None:
        handle.close()
        raise ValueError(f"Document {document.pk} is encrypted: pass decrypt= to serve it.")
    with handle:
        return io.BytesIO(decrypt(handle.read()))


def _served_content_type(document: Document) -> str:
    """Derived from the allow-listed kind, never from the stored string: never text/html."""
    return KINDS[document.kind][1] if document.kind in KINDS else "application/octet-stream"


# -- forms -----------------------------------------------------------------------------------


class DocumentUploadField(forms.FileField):
    """A file field that runs the upload checks in clean(), so errors show next to the field.

    It does not store or scan the file: the view passes the cleaned file to document_store.
    """

    def __init__(self, *, policy: DocumentPolicy | None = None, **kwargs: Any) -> None:
        self.policy = policy
        super().__init__(**kwargs)

    def get_policy(self) -> DocumentPolicy:
        return self.policy or DocumentPolicy()

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.setdefault("accept", ",".join(self.get_policy().extensions))
        return attrs

    def clean(self, data: Any, initial: Any = None) -> Any:
        cleaned = super().clean(data, initial)
        if isinstance(cleaned, UploadedFile) and cleaned is not initial:
            document_validate(uploaded_file=cleaned, policy=self.get_policy())
            cleaned.seek(0)
        return cleaned

