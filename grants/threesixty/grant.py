"""One award as a 360Giving 1.4 grant object.

Identifiers are ``<GRANTS_360G_PREFIX>-<award reference>`` (the prefix is registered with
360Giving and starts with ``360G-``). Recipients and funders carry their org-ids; the funding
instrument goes in ``classifications`` with our own vocabulary, since 360Giving has no codelist
for instruments. Amounts are JSON numbers (exact for pounds and pence: see `number`).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from grants.eligibility import outward_code
from grants.models import Instrument

INSTRUMENT_VOCABULARY = "portal-funding-instrument"
ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def prefix() -> str:
    return getattr(settings, "GRANTS_360G_PREFIX", "360G-portal")


def grant_id(award) -> str:
    return f"{prefix()}-{ID_UNSAFE.sub('_', award.reference)}"


def number(amount: Decimal) -> int | float:
    """A money amount as a JSON number: whole pounds as integers, else the shortest float,
    whose repr is the same two-decimal string for any amount under 10^15."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def absolute(path: str) -> str:
    return f"{getattr(settings, 'PORTAL_BASE_URL', 'http://127.0.0.1:8000').rstrip('/')}{path}"


def organisation(org, fallback_kind: str) -> dict:
    data = {"id": org.org_id or f"{prefix()}-{fallback_kind}-{org.pk}", "name": org.name}
    if org.charity_number:
        data["charityNumber"] = org.charity_number
    if org.company_number:
        data["companyNumber"] = org.company_number
    if org.postcode:
        data["postalCode"] = org.postcode
    if getattr(org, "town", ""):
        data["addressLocality"] = org.town
    return data


def description(award) -> str:
    if award.description.strip().lower() != award.title.strip().lower():
        return award.description
    return f"{award.description} A grant to {award.recipient.name} from {award.programme.title}."


def grant(award) -> dict:
    programme = award.programme
    page = absolute(reverse("grants:programme_public", args=[programme.pk]))
    data = {
        "id": grant_id(award),
        "title": award.title,
        "description": description(award),
        "currency": "GBP",
        "amountAwarded": number(award.amount_awarded),
        "amountDisbursed": number(award.amount_paid - award.amount_recovered),
        "awardDate": award.awarded_on.isoformat(),
        "plannedDates": [{"startDate": award.planned_start.isoformat(),
                          "endDate": award.planned_end.isoformat()}],
        "recipientOrganization": [organisation(award.recipient, "ORG")],
        "fundingOrganization": [organisation(programme.authority, "FUNDER")],
        "grantProgramme": [{"code": programme.code, "title": programme.title, "url": page}],
        "fromOpenCall": "Yes" if award.from_open_call else "No",
        "classifications": [{"vocabulary": INSTRUMENT_VOCABULARY, "code": award.instrument,
                             "title": dict(Instrument.choices)[award.instrument]}],
        "dateModified": award.updated_at.isoformat(),
        "dataSource": page,
        "url": page,
    }
    if award.amount_requested:
        data["amountAppliedFor"] = number(award.amount_requested)
    if award.beneficiary_postcode:
        district = outward_code(award.beneficiary_postcode)
        data["beneficiaryLocation"] = [{"name": f"{district} postcode district",
                                        "countryCode": "GB"}]
    return data
