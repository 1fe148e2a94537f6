"""Envelope encryption of sealed bids: per-tender data keys wrapped by the master keys."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from commissioning import sealing
from commissioning.models import TenderKey
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db
PAYLOAD = {"answers": {"1": "Our secret approach"}, "price": {"total": "10.00", "breakdown": []},
           "social_value": [], "declarations": {}}


def test_a_tender_gets_one_data_key_stored_only_wrapped():
    tender = cf.TenderFactory()
    first = sealing.tender_key(tender)
    second = sealing.tender_key(tender)
    key_row = TenderKey.objects.get(tender=tender)
    assert TenderKey.objects.filter(tender=tender).count() == 1
    blob = first.encrypt(b"x")
    assert second.decrypt(blob) == b"x"
    # The stored key is wrapped: opening it needs the master key from the settings.
    raw = sealing.master().decrypt(bytes(key_row.wrapped_key))
    assert raw not in bytes(key_row.wrapped_key)


def test_each_tender_has_its_own_key():
    one, two = cf.TenderFactory(), cf.TenderFactory()
    blob = sealing.seal(tender=one, payload=PAYLOAD)
    with pytest.raises(sealing.SealError):
        sealing.unseal(tender=two, blob=blob)


def test_seal_round_trip_and_ciphertext_holds_no_plaintext():
    tender = cf.TenderFactory()
    blob = sealing.seal(tender=tender, payload=PAYLOAD)
    assert b"secret approach" not in blob
    assert sealing.unseal(tender=tender, blob=blob) == PAYLOAD
    assert sealing.unseal(tender=tender, blob=b"") == sealing.EMPTY_PAYLOAD


def test_file_sealer_and_unsealer_are_inverse():
    tender = cf.TenderFactory()
    ciphertext = sealing.sealer(tender)(b"%PDF-1.4 confidential")
    assert b"confidential" not in ciphertext
    assert sealing.unsealer(tender)(ciphertext) == b"%PDF-1.4 confidential"


def test_master_key_rotation_keeps_old_bids_readable(settings):
    tender = cf.TenderFactory()
    blob = sealing.seal(tender=tender, payload=PAYLOAD)
    old_key = settings.BID_MASTER_KEYS[0]
    settings.BID_MASTER_KEYS = [Fernet.generate_key().decode(), old_key]
    assert sealing.unseal(tender=tender, blob=blob) == PAYLOAD  # unwrapped with the old key
    assert sealing.tender_key_rewrap(tender) is True
    settings.BID_MASTER_KEYS = settings.BID_MASTER_KEYS[:1]  # the old key is retired
    assert sealing.unseal(tender=tender, blob=blob) == PAYLOAD


def test_a_wrong_master_key_cannot_open_bids(settings):
    tender = cf.TenderFactory()
    blob = sealing.seal(tender=tender, payload=PAYLOAD)
    settings.BID_MASTER_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(sealing.SealError):
        sealing.unseal(tender=tender, blob=blob)


def test_no_master_key_is_a_configuration_error(settings):
    settings.BID_MASTER_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        sealing.seal(tender=cf.TenderFactory(), payload=PAYLOAD)


def test_canonical_json_is_stable():
    assert sealing.canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()


def test_the_migration_seals_file_names_stored_in_plaintext_before():
    import importlib

    from django.apps import apps

    from commissioning.models import BidFile, BidReceipt
    from commissioning.receipts import receipt_files
    from core.documents import SEALED_NAME, document_name
    from core.models import Document

    migration = importlib.import_module("commissioning.migrations.0005_sealed_file_names")
    bid = cf.BidFactory()
    sealing.tender_key(bid.tender)
    document = Document.objects.create(
        file="documents/old.bin", original_name="annex-old-pricing.pdf", kind="pdf",
        content_type="application/pdf", size=10, sha256="a" * 64, encrypted=True)
    BidFile.objects.create(bid=bid, document=document)
    receipt = BidReceipt.objects.create(
        bid=bid, number="RCPT-OLD-1", received_at=bid.created_at, submission_sha256="b" * 64,
        file_hashes=[{"slot": "", "name": "annex-old-pricing.pdf", "size": 10,
                      "sha256": "a" * 64}])

    migration.seal_names(apps, None)
    migration.seal_names(apps, None)  # running it again changes nothing

    document.refresh_from_db()
    receipt.refresh_from_db()
    assert document.original_name == SEALED_NAME
    assert document_name(document, decrypt=sealing.unsealer(bid.tender)) == \
        "annex-old-pricing.pdf"
    assert "annex-old" not in str(BidReceipt.objects.values().get(pk=receipt.pk))
    assert receipt_files(receipt) == [{"slot": "", "name": "annex-old-pricing.pdf", "size": 10,
                                       "sha256": "a" * 64}]
