"""One award as a 360Giving 1.4 grant object.

Identifiers are ``<GRANTS_360G_PREFIX>-<award reference>`` (the prefix is registered with
360Giving and starts with ``360G-``). Recipients and funders carry their org-ids; the funding
instrument goes in ``classifications`` with our own vocabulary, since 360Giving has no codelist
for instruments. Amounts are JSON numbers (exact for pounds and pence: see `number`).

A pooled programme names every funder in ``fundingOrganization`` (the managing authority
first). The schema has no amount on an organisation, so each funder's share of the grant goes
in ``commitmentTransaction``: one transaction per funder, ``provider`` its org-id, the value
pro rata to what it put into the programme, the pennies left by rounding given to the first
funder so the shares add up to ``amountAwarded`` exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache

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


@lru_cache(maxsize=256)
def programme_page(programme_id: int) -> str:
    return absolute(reverse("grants:programme_public", args=[programme_id]))


def funder_shares(programme, contributions: Sequence) -> list[tuple[object, Decimal]]:
    """Each funder of the programme with the money it put in: the managing authority first,
    with whatever of the budget the other funders did not contribute."""
    others = [c for c in contributions if c.funder_id != programme.authority_id]
    own = sum((c.amount for c in contributions if c.funder_id == programme.authority_id),
              Decimal("0"))
    lead = max(programme.total_budget - sum((c.amount for c in others), Decimal("0")), own)
    return [(programme.authority, lead), *((c.funder, c.amount) for c in others)]


def split(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``amount`` shared pro rata to ``weights`` in pence; the remainder goes to the first."""
    total = sum(weights, Decimal("0"))
    if total <= 0:
        return [amount, *(Decimal("0.00") for _ in weights[1:])]
    rest = [(amount * w / total).quantize(Decimal("0.01"), ROUND_DOWN) for w in weights[1:]]
    return [amount - sum(rest, Decimal("0")), *rest]


def _funders(award, contributions: Sequence) -> tuple[list[dict], list[dict]]:
    programme = award.programme
    if not contributions:
        return [organisation(programme.authority, "FUNDER")], []
    shares = funder_shares(programme, contributions)
    parts = split(award.amount_awarded, [amount for _, amount in shares])
    organisations = [organisation(funder, "FUNDER") for funder, _ in shares]
    recipient = organisation(award.recipient, "ORG")["id"]
    commitments = [{
        "id": f"{grant_id(award)}-FUNDER-{index}", "value": number(part), "currency": "GBP",
        "transactionDate": award.awarded_on.isoformat(), "provider": org["id"],
        "recipient": recipient,
        "description": f"The share of this grant funded by {org['name']}, in proportion to "
                       "its contribution to the pooled programme.",
    } for index, (org, part) in enumerate(zip(organisations, parts, strict=True), start=1)
        if part > 0]
    return organisations, commitments


def grant(award, contributions: Sequence = ()) -> dict:
    """The award as a 360Giving grant; ``contributions`` are its programme's pooled funds."""
    programme = award.programme
    funders, commitments = _funders(award, contributions)
    page = programme_page(programme.pk)
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
        "fundingOrganization": funders,
        "grantProgramme": [{"code": programme.code, "title": programme.title, "url": page}],
        "fromOpenCall": "Yes" if award.from_open_call else "No",
        "classifications": [{"vocabulary": INSTRUMENT_VOCABULARY, "code": award.instrument,
                             "title": dict(Instrument.choices)[award.instrument]}],
        "dateModified": award.updated_at.isoformat(),
        "dataSource": page,
        "url": page,
    }
    if commitments:
        data["commitmentTransaction"] = commitments
    if award.amount_requested:
        data["amountAppliedFor"] = number(award.amount_requested)
    if award.beneficiary_postcode:
        district = outward_code(award.beneficiary_postcode)
        data["beneficiaryLocation"] = [{"name": f"{district} postcode district",
                                        "countryCode": "GB"}]
    return data
