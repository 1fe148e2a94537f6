"""Each UK notice in OCDS: a document with its ``noticeType``, in the section Find a Tender uses.

Find a Tender lists each notice as a document of its section: planning notices (UK1-UK3) in
``planning.documents``, tender-stage notices (UK4, UK5, UK12) in ``tender.documents``, the
contract award notice (UK6) in ``awards[].documents``, contract notices (UK7, UK10, UK11) in
``contracts[].documents`` and the contract performance notice (UK9) in
``contracts[].implementation.documents``. ``documentType`` comes from the OCDS codelist, except
``marketEngagementNotice`` (as Find a Tender publishes UK2) and ``implementationNotice`` (the
UK extension's code for UK9).

Tender-linked notices amend the tender's own release (``attach``); notices with no tender
release behind them (planning notices of a project, direct awards) get a release of their own
(``standalone_release``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse

from commissioning.ocds.parties import PartyList
from commissioning.ocds.release import money, timestamp

SECTION = {
    "UK1": "planning", "UK2": "planning", "UK3": "planning",
    "UK4": "tender", "UK5": "tender", "UK12": "tender",
    "UK6": "award",
    "UK7": "contract", "UK10": "contract", "UK11": "contract",
    "UK9": "implementation",
}
DOCUMENT_TYPE = {
    "UK1": "plannedProcurementNotice", "UK2": "marketEngagementNotice",
    "UK3": "plannedProcurementNotice", "UK4": "tenderNotice", "UK5": "tenderNotice",
    "UK6": "awardNotice", "UK7": "contractNotice", "UK9": "implementationNotice",
    "UK10": "contractNotice", "UK11": "contractNotice", "UK12": "cancellationDetails",
}
TAGS = {
    "UK1": ["planning"], "UK2": ["planning"], "UK3": ["planning"], "UK4": ["tender"],
    "UK5": ["tender"], "UK6": ["award"], "UK7": ["contractUpdate"], "UK9": ["implementation"],
    "UK10": ["contractAmendment"], "UK11": ["contractTermination"],
    "UK12": ["tenderCancellation"],
}
# Codes outside the OCDS 1.1.5 documentType codelist that we publish on purpose (see above).
EXTRA_DOCUMENT_TYPES = frozenset({"marketEngagementNotice", "implementationNotice"})


def notice_url(notice) -> str:
    return f"{settings.PORTAL_BASE_URL}{reverse('commissioning:notice', args=[notice.pk])}"


def notice_document(notice) -> dict:
    return {
        "id": f"notice-{notice.pk}",
        "documentType": DOCUMENT_TYPE[notice.notice_type],
        "noticeType": notice.notice_type,
        "title": notice.get_notice_type_display(),
        "description": notice.title,
        "url": notice_url(notice),
        "datePublished": timestamp(notice.published_at),
        "format": "text/html",
        "language": "en",
    }


def attach(payload: dict, notice, extra: dict | None = None) -> None:
    """Add ``notice`` as a document of the right section of a release ``payload``."""
    document = notice_document(notice)
    section = SECTION[notice.notice_type]
    if section in ("planning", "tender"):
        target = payload.setdefault(section, {})
    elif section == "award":
        target = _entry(payload, "awards", notice.award_id, notice)
    else:
        target = _entry(payload, "contracts", notice.contract_id, notice)
        if section == "implementation":
            target = target.setdefault("implementation", {})
    target.setdefault("documents", []).append(document)
    for key, value in (extra or {}).items():
        if isinstance(value, list):
            target.setdefault(key, []).extend(value)
        else:
            target[key] = value


def _entry(payload: dict, key: str, pk, notice) -> dict:
    if pk is None and payload.get(key):
        return payload[key][0]  # a standalone release has the one award it announces
    for entry in payload.get(key, []):
        if entry.get("id") == str(pk):
            return entry
    entry = {"id": str(pk) if pk else f"notice-{notice.pk}"}
    if key == "contracts":
        entry["awardID"] = str(notice.award_id or pk)
    payload.setdefault(key, []).append(entry)
    return entry


def standalone_release(*, notice, release_id: str, authority, title: str, description: str,
                       value=None, procurement_method: str | None = None, rationale: str = "",
                       status: str = "planning", supplier=None, award: dict | None = None,
                       related: list[dict] | None = None, now: datetime.datetime) -> dict:
    """A release for a notice with no tender release behind it (planning notices, direct awards)."""
    parties = PartyList()
    buyer = parties.add(authority, "buyer", "procuringEntity")
    tender: dict = {"id": notice.ocid, "title": title, "description": description,
                    "status": status}
    if value is not None:
        tender["value"] = money(value)
    if procurement_method:
        tender["procurementMethod"] = procurement_method
        tender["procurementMethodDetails"] = "Direct award"
    if rationale:
        tender["procurementMethodRationale"] = rationale
    release: dict = {"ocid": notice.ocid, "id": release_id, "date": timestamp(now),
                     "tag": list(TAGS[notice.notice_type]), "initiationType": "tender",
                     "language": "en", "buyer": buyer, "tender": tender}
    if related:
        release["relatedProcesses"] = related
    if award is not None and supplier is not None:
        award = {**award, "suppliers": [parties.add(supplier, "supplier", "payee")]}
        release["awards"] = [award]
    attach(release, notice)
    release["parties"] = parties.as_list()
    return release
