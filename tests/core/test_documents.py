"""Uploads: sniffed by content, hashed, stored under random names, served as attachments."""

from __future__ import annotations

import hashlib
import io
import logging
import random
import struct
import zipfile
import zlib
from pathlib import Path

import filetype
import pytest
from cryptography.fernet import Fernet
from csp.middleware import CSPMiddleware
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import RequestFactory

from core import audit_sealing, documents
from core.audit import audit_verify
from core.audit_sealing import AuditSeal, audit_detail, register_audit_unsealer
from core.documents import (
    SEALED_NAME,
    DocumentPolicy,
    DocumentUploadField,
    document_name,
    document_response,
    document_store,
    document_validate,
    sanitise_filename,
)
from core.models import AuditEntry, Document
from core.sample_files import simple_pdf as pdf_bytes
from tests.core.conftest import EICAR

MB = 1024 * 1024
pytestmark = pytest.mark.django_db

# -- real small files ------------------------------------------------------------------------


def content_types(main_part: str, part_name: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{part_name}" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{main_part}"/></Types>'
    )


def zip_bytes(entries: list[tuple[str, bytes | str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            # ODF requires `mimetype` first and uncompressed; ZipInfo defaults to stored.
            archive.writestr(zipfile.ZipInfo(name) if name == "mimetype" else name, data)
    return buffer.getvalue()


def docx_bytes(*, libreoffice_order: bool = False) -> bytes:
    manifest = ("[Content_Types].xml",
                content_types("wordprocessingml.document.main+xml", "/word/document.xml"))
    body = ("word/document.xml", '<w:document xmlns:w="urn:w"><w:body/></w:document>')
    rels = ("_rels/.rels", "<Relationships/>")
    if libreoffice_order:
        # Large entries first push the telltale word/ entry beyond what `filetype` inspects.
        padding = random.Random(7).randbytes(8000)  # incompressible
        return zip_bytes([rels, ("docProps/thumbnail.png", padding),
                          ("docProps/app.xml", "<a/>"), ("docProps/core.xml", "<c/>"),
                          ("word/styles.xml", "<s/>"), body, manifest])
    return zip_bytes([manifest, rels, body])


def xlsx_bytes() -> bytes:
    return zip_bytes([
        ("[Content_Types].xml", content_types("spreadsheetml.sheet.main+xml", "/xl/workbook.xml")),
        ("_rels/.rels", "<Relationships/>"),
        ("xl/workbook.xml", "<workbook/>"),
        ("xl/worksheets/sheet1.xml", "<worksheet/>"),
    ])


def odf_bytes(mimetype: str) -> bytes:
    return zip_bytes([("mimetype", mimetype), ("content.xml", "<office:document-content/>"),
                      ("META-INF/manifest.xml", "<manifest/>")])


def png_bytes() -> bytes:
    """A 1×1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack("!I", len(data)) + kind + data + struct.pack(
            "!I", zlib.crc32(kind + data)
        )
    header = struct.pack("!IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(
        b"IEND", b""
    )


def jpeg_bytes() -> bytes:
    """A JFIF header and end marker: enough for type sniffing (no image decoder is used)."""
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            b"\xff\xdb\x00\x43\x00" + bytes(64) + b"\xff\xd9")


CSV = "name,amount\nCommunity Trust,1234.50\nCafé Ltd,99.00\n".encode()
VALID_FILES = [
    ("Method statement.pdf", pdf_bytes(), "pdf", "application/pdf"),
    ("Bid.docx", docx_bytes(), "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("LibreOffice bid.docx", docx_bytes(libreoffice_order=True), "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Pricing.xlsx", xlsx_bytes(), "xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("Plan.odt", odf_bytes("application/vnd.oasis.opendocument.text"), "odt",
     "application/vnd.oasis.opendocument.text"),
    ("Budget.ods", odf_bytes("application/vnd.oasis.opendocument.spreadsheet"), "ods",
     "application/vnd.oasis.opendocument.spreadsheet"),
    ("Outcomes.csv", CSV, "csv", "text/csv; charset=utf-8"),
    ("Notes.txt", "Plain notes, with a pound sign: £5\n".encode(), "txt",
     "text/plain; charset=utf-8"),
    ("Logo.png", png_bytes(), "png", "image/png"),
    ("Photo.JPEG", jpeg_bytes(), "jpg", "image/jpeg"),
]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()]


def refused(name: str, content: bytes, policy: DocumentPolicy | None = None) -> str:
    with pytest.raises(ValidationError) as caught:
        document_validate(uploaded_file=upload(name, content), policy=policy)
    return " ".join(caught.value.messages)


# -- accepted files --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "kind", "content_type"), VALID_FILES,
                         ids=[row[0] for row in VALID_FILES])
def test_valid_files_are_stored_hashed_and_audited(media_root, bid_writer, name, content, kind,
                                                   content_type):
    document = document_store(uploaded_file=upload(name, content), actor=bid_writer)

    assert (document.kind, document.content_type) == (kind, content_type)
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.original_name == name
    assert document.scan_status == Document.ScanStatus.NOT_SCANNED
    assert document.uploaded_by == bid_writer and not document.encrypted
    assert (media_root / document.file.name).read_bytes() == content
    entry = AuditEntry.objects.get(action="document.uploaded")
    assert entry.object_id == str(document.pk) and entry.actor_id == bid_writer.pk
    assert entry.changes["sha256"] == document.sha256
    assert (entry.changes["size"], entry.changes["kind"]) == (len(content), kind)


def test_filetype_alone_misses_a_libreoffice_docx_which_the_manifest_check_catches():
    content = docx_bytes(libreoffice_order=True)

    assert filetype.guess(content).extension == "zip"
    assert document_validate(uploaded_file=upload("bid.docx", content)).kind == "docx"


def test_stored_name_is_random_and_never_the_uploaders(media_root, bid_writer):
    first = document_store(uploaded_file=upload("../../secret plan.pdf", pdf_bytes()),
                           actor=bid_writer)
    second = document_store(uploaded_file=upload("secret plan.pdf", pdf_bytes()),
                            actor=bid_writer)

    for document in (first, second):
        assert "secret" not in document.file.name and "plan" not in document.file.name
        assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
        assert document.original_name == "secret plan.pdf"
    assert first.file.name != second.file.name
    assert len(stored_files(media_root)) == 2


def test_disk_backed_uploads_are_stored_too(media_root, bid_writer):
    content = pdf_bytes() * 3
    temporary = TemporaryUploadedFile("big.pdf", "application/pdf", len(content), None)
    temporary.write(content)
    temporary.seek(0)

    document = document_store(uploaded_file=temporary, actor=bid_writer)

    assert (media_root / document.file.name).read_bytes() == content
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    temporary.seek(0)
    assert temporary.read() == content  # the caller's upload is copied, not moved away
    temporary.close()


# -- refused files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("tender.pdf", b"<!DOCTYPE html><html><body>Click here</body></html>"),
        ("tender.pdf", b"<HTML><script>alert(document.cookie)</script></HTML>"),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("logo.png", b'<svg onload="alert(1)"/>'),
        ("notes.txt", b"Harmless start\n" * 1000 + b"<script src=//evil.example></script>"),
        ("data.csv", b"a,b\n1,<iframe src=x>\n"),
    ],
)
def test_markup_disguised_as_a_document_is_refused(name, content):
    assert "contains web page or script code" in refused(name, content)


def test_words_that_merely_start_like_tags_are_fine():
    check = document_validate(uploaded_file=upload("n.txt", b"<header> and <bodyguard> ok\n"))

    assert check.kind == "txt"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", docx_bytes(), "The file is called report.pdf but it is a Word document."),
        ("report.txt", pdf_bytes(), "The file is called report.txt but it is a PDF."),
        ("sheet.docx", xlsx_bytes(), "called sheet.docx but it is an Excel spreadsheet"),
        ("readme.pdf", b"just some words\n", "called readme.pdf but it is a plain text file"),
        ("photo.png", jpeg_bytes(), "called photo.png but it is a JPEG image"),
        ("noextension", pdf_bytes(), "called noextension but it is a PDF"),
    ],
)
def test_extension_must_agree_with_the_content(name, content, message):
    text = refused(name, content)

    assert message in text
    assert "Rename it to end in ." in text


def test_empty_file_is_refused():
    assert refused("empty.pdf", b"") == "The selected file is empty."


def test_over_size_is_refused_with_the_limit_in_mb():
    policy = DocumentPolicy(max_bytes=1 * MB)

    assert refused("big.pdf", pdf_bytes() + bytes(MB), policy) == (
        "The selected file must be smaller than 1 MB."
    )
    assert document_validate(uploaded_file=upload("ok.pdf", pdf_bytes()), policy=policy)


def test_default_limit_comes_from_settings_at_upload_time(settings):
    policy_built_before = DocumentPolicy()
    settings.DOCUMENT_MAX_BYTES = 2 * MB

    assert DocumentPolicy().byte_limit == policy_built_before.byte_limit == 2 * MB
    assert "smaller than 2 MB" in refused("big.txt", b"a" * (2 * MB + 1), policy_built_before)


def test_size_is_counted_while_streaming_not_taken_from_the_declared_size():
    lying = upload("big.txt", b"a" * (MB + 10))
    lying.size = 10

    with pytest.raises(ValidationError, match="smaller than 1 MB"):
        document_validate(uploaded_file=lying, policy=DocumentPolicy(max_bytes=MB))


def zip_bomb(uncompressed_mb: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml",
                         content_types("wordprocessingml.document.main+xml", "/word/document.xml"))
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(uncompressed_mb):
                member.write(bytes(MB))
    return buffer.getvalue()


def test_zip_bomb_is_refused():
    bomb = zip_bomb(201)

    assert len(bomb) < MB
    assert "expands to 201 MB when opened" in refused("bid.docx", bomb)


def test_large_but_plausible_office_file_is_accepted():
    # Expands over 100× but stays under 200 MB: a spreadsheet full of blank cells, say.
    assert document_validate(uploaded_file=upload("bid.docx", zip_bomb(50))).kind == "docx"


def test_zip_bomb_thresholds_come_from_the_policy():
    policy = DocumentPolicy(zip_max_ratio=10, zip_max_uncompressed=MB)

    assert "expands to 2 MB" in refused("bid.docx", zip_bomb(2), policy)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("archive.zip", zip_bytes([("a.txt", "a")]), "is a ZIP archive, which is not accepted"),
        ("bid.docx", zip_bytes([("a.txt", "a")]), "is a ZIP archive, which is not accepted"),
        ("tool.exe", b"MZ" + bytes(200), "is a program, which is not accepted"),
        ("deck.pptx", zip_bytes([("[Content_Types].xml", content_types(
            "presentationml.presentation.main+xml", "/ppt/presentation.xml"))]),
         "is a PowerPoint presentation"),
        ("anim.gif", b"GIF89a" + bytes(20), "is a GIF image"),
        ("blob.bin", bytes(range(256)) * 4, "The selected file must be a PDF, Word document,"),
        ("nul.txt", b"text with a \x00 byte", "not saved as UTF-8 text"),
        ("latin1.csv", "Café,5\n".encode("latin-1"), "not saved as UTF-8 text"),
    ],
)
def test_types_that_are_not_accepted(name, content, message):
    assert message in refused(name, content)


def test_damaged_zip_is_refused():
    content = docx_bytes()[:60]

    assert "is damaged and cannot be opened" in refused("bid.docx", content)


def test_policy_restricts_kinds_and_names_them():
    policy = DocumentPolicy(kinds=frozenset({"pdf", "docx"}))

    assert refused("logo.png", png_bytes(), policy) == (
        "The selected file is a PNG image, which is not accepted here. "
        "Upload a PDF or Word document."
    )
    assert policy.extensions == [".docx", ".pdf"]
    with pytest.raises(ValueError, match="unknown kinds"):
        DocumentPolicy(kinds=frozenset({"exe"}))


def test_refused_files_leave_nothing_behind(media_root, bid_writer):
    with pytest.raises(ValidationError):
        document_store(uploaded_file=upload("tender.pdf", b"<html></html>"), actor=bid_writer)

    assert not Document.objects.exists() and not AuditEntry.objects.exists()
    assert stored_files(media_root) == []


def test_a_failure_after_saving_removes_the_stored_bytes(media_root, bid_writer, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(documents, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        document_store(uploaded_file=upload("a.pdf", pdf_bytes()), actor=bid_writer)

    assert stored_files(media_root) == [] and not Document.objects.exists()


# -- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\sam\\Desktop\\bid.pdf", "bid.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("bid\x00\x07\r\n.pdf", "bid.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override spoofing
        ("  spaced out.pdf  ", "spaced out.pdf"),
        ("..", ""),
        ("Cafe\u0301.pdf", "Café.pdf"),
    ],
)
def test_sanitise_filename(raw, clean):
    assert sanitise_filename(raw) == clean


def test_long_names_keep_their_extension():
    clean = sanitise_filename("a" * 400 + ".docx")

    assert len(clean) == 255 and clean.endswith(".docx")


def test_a_file_without_a_usable_name_gets_one(media_root, bid_writer):
    document = document_store(uploaded_file=upload("\x01\x02", pdf_bytes()), actor=bid_writer)

    assert document.original_name == "document.pdf"


# -- encryption ------------------------------------------------------------------------------


def test_encrypt_stores_ciphertext_but_hashes_the_plaintext(media_root, bid_writer):
    fernet = Fernet(Fernet.generate_key())
    content = pdf_bytes("Sealed price: £1,234,567")

    document = document_store(uploaded_file=upload("price.pdf", content), actor=bid_writer,
                              encrypt=fernet.encrypt)

    at_rest = (media_root / document.file.name).read_bytes()
    assert document.encrypted and document.file.name.endswith(".bin")
    assert b"Sealed price" not in at_rest and fernet.decrypt(at_rest) == content
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    response = document_response(document, decrypt=fernet.decrypt)
    assert b"".join(response.streaming_content) == content
    assert 'filename="price.pdf"' in response["Content-Disposition"]
    with pytest.raises(ValueError, match="is encrypted"):
        document_response(document)


def test_a_sealed_document_keeps_its_name_and_its_audit_detail_sealed(media_root, bid_writer,
                                                                       monkeypatch):
    fernet = Fernet(Fernet.generate_key())
    name = "annex-riverside-care-pricing.pdf"
    seal = AuditSeal(encrypt=fernet.encrypt, under="test.sealed:1")

    document = document_store(uploaded_file=upload(name, pdf_bytes()), actor=bid_writer,
                              encrypt=fernet.encrypt, audit_seal=seal)

    stored = Document.objects.values().get(pk=document.pk)
    assert name not in str(stored) and stored["original_name"] == SEALED_NAME
    assert document_name(document, decrypt=fernet.decrypt) == name
    assert document_name(document) == SEALED_NAME
    entry = AuditEntry.objects.get()
    row = str(AuditEntry.objects.values().get())
    for secret in (name, bid_writer.email, document.sha256):
        assert secret not in row
    assert entry.actor_id is None and audit_detail(entry) is None
    monkeypatch.setattr(audit_sealing, "_resolvers", dict(audit_sealing._resolvers))
    register_audit_unsealer("test.sealed", lambda reference: fernet.decrypt)
    detail = audit_detail(entry)
    assert detail["actor_id"] == bid_writer.pk and detail["changes"]["encrypted"] is True
    assert detail["changes"]["sha256"] == document.sha256 and name not in str(detail)
    assert audit_verify().ok


# -- serving ---------------------------------------------------------------------------------


def test_download_is_an_attachment_that_is_never_rendered(media_root, bid_writer):
    content = pdf_bytes()
    document = document_store(uploaded_file=upload("Method statement.pdf", content),
                              actor=bid_writer)

    response = document_response(document)

    assert response["Content-Disposition"] == 'attachment; filename="Method statement.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(response.streaming_content) == content
    response.close()


def test_non_ascii_names_are_encoded_in_the_header(media_root, bid_writer):
    document = document_store(uploaded_file=upload("Café plan.txt", b"plan\n"), actor=bid_writer)

    response = document_response(document)

    assert "filename*=utf-8''Caf%C3%A9%20plan.txt" in response["Content-Disposition"]
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    response.close()


def test_content_type_comes_from_the_allow_list_never_the_stored_string(media_root, bid_writer):
    document = document_store(uploaded_file=upload("notes.txt", b"notes\n"), actor=bid_writer)
    Document.objects.filter(pk=document.pk).update(kind="html", content_type="text/html")
    document.refresh_from_db()

    response = document_response(document)

    assert response["Content-Type"] == "application/octet-stream"
    assert "html" not in response["Content-Type"]
    response.close()


def test_the_csp_middleware_keeps_the_sandbox_policy(media_root, bid_writer):
    document = document_store(uploaded_file=upload("a.pdf", pdf_bytes()), actor=bid_writer)
    response = document_response(document)
    request = RequestFactory().get("/documents/1/download/")
    middleware = CSPMiddleware(lambda request: response)

    middleware.process_request(request)
    middleware.process_response(request, response)

    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    response.close()


# -- form field ------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = DocumentUploadField(policy=DocumentPolicy(kinds=frozenset({"pdf", "docx"})))


def test_form_field_shows_errors_next_to_the_field_without_saving(media_root):
    form = UploadForm(files={"file": upload("bid.pdf", docx_bytes())})

    assert not form.is_valid()
    assert form.errors["file"] == [
        "The file is called bid.pdf but it is a Word document. Rename it to end in .docx, "
        "or choose the right file."
    ]
    assert stored_files(media_root) == [] and not Document.objects.exists()


def test_form_field_accepts_a_good_file_and_leaves_it_readable(media_root):
    form = UploadForm(files={"file": upload("bid.pdf", pdf_bytes())})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].read() == pdf_bytes()
    assert stored_files(media_root) == []


def test_form_field_required_and_accept_attribute():
    form = UploadForm(files={})

    assert not form.is_valid() and form.errors["file"] == ["This field is required."]
    assert form.fields["file"].widget.attrs["accept"] == ".docx,.pdf"


# -- ClamAV ----------------------------------------------------------------------------------


def test_clean_scan_marks_the_document_clean(media_root, settings, fake_clamd, bid_writer):
    settings.CLAMAV_ADDRESS = fake_clamd.address
    content = pdf_bytes()

    document = document_store(uploaded_file=upload("a.pdf", content), actor=bid_writer)

    assert document.scan_status == Document.ScanStatus.CLEAN
    assert fake_clamd.received == [content]


def test_infected_file_is_refused_and_not_kept(media_root, settings, fake_clamd, bid_writer,
                                               caplog):
    settings.CLAMAV_ADDRESS = fake_clamd.address

    with caplog.at_level(logging.WARNING, logger="core.documents"), pytest.raises(
        ValidationError, match="This file contains a virus or malware and was not accepted"
    ):
        document_store(uploaded_file=upload("eicar.txt", EICAR), actor=bid_writer)

    assert stored_files(media_root) == [] and not Document.objects.exists()
    assert "Eicar-Signature" in caplog.text


def test_unreachable_scanner_stores_with_failed_status(media_root, settings, bid_writer,
                                                       unreachable_address, caplog):
    settings.CLAMAV_ADDRESS = unreachable_address

    with caplog.at_level(logging.WARNING, logger="core.documents"):
        document = document_store(uploaded_file=upload("a.pdf", pdf_bytes()), actor=bid_writer)

    assert document.scan_status == Document.ScanStatus.FAILED
    assert (media_root / document.file.name).exists()
    assert "unscanned" in caplog.text
    assert AuditEntry.objects.get().changes["scan_status"] == "failed"
