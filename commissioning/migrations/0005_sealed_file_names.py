"""Seal the names of bid files stored before file names were sealed.

Bid files uploaded earlier kept their name in plaintext in ``core_document.original_name`` and in
``commissioning_bidreceipt.file_hashes``. Each name is encrypted with its tender's data key (as
new uploads are), the plaintext replaced by the placeholder. Needs ``BID_MASTER_KEYS`` only when
there is something to seal. Audit entries written before this change are history and keep what
they said (the chain forbids rewriting them).
"""

from cryptography.fernet import Fernet
from django.db import migrations

SEALED_NAME = "Sealed file"


def _keys(apps):
    from commissioning.sealing import master

    TenderKey = apps.get_model("commissioning", "TenderKey")
    cache = {}

    def key_for(tender_id):
        if tender_id not in cache:
            wrapped = TenderKey.objects.get(tender_id=tender_id).wrapped_key
            cache[tender_id] = Fernet(master().decrypt(bytes(wrapped)))
        return cache[tender_id]

    return key_for


def seal_names(apps, schema_editor):
    BidFile = apps.get_model("commissioning", "BidFile")
    BidReceipt = apps.get_model("commissioning", "BidReceipt")
    key_for = _keys(apps)
    files = BidFile.objects.select_related("document", "bid").filter(document__encrypted=True)
    for bid_file in files.iterator():
        document = bid_file.document
        if bytes(document.sealed_name or b""):
            continue
        document.sealed_name = key_for(bid_file.bid.tender_id).encrypt(
            document.original_name.encode())
        document.original_name = SEALED_NAME
        document.save(update_fields=["sealed_name", "original_name"])
    for receipt in BidReceipt.objects.select_related("bid").iterator():
        if not any("name" in entry for entry in receipt.file_hashes):
            continue
        key = key_for(receipt.bid.tender_id)
        receipt.file_hashes = [
            {**{k: v for k, v in entry.items() if k != "name"},
             "name_sealed": key.encrypt(entry["name"].encode()).decode("ascii")}
            if "name" in entry else entry
            for entry in receipt.file_hashes]
        receipt.save(update_fields=["file_hashes"])


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0004_tender_search_vector"),
        ("core", "0004_sealed_document_name"),
    ]

    operations = [migrations.RunPython(seal_names, migrations.RunPython.noop)]
