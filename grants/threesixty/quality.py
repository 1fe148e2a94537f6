"""The 360Giving data-quality checks that matter, as pure functions over grant objects.

Reimplemented from the 360Giving Data Quality Tool's checks (its library is AGPL, pins an old
jsonschema and fetches org-id lists at import): zero amounts, 360G-prefixed or unrecognised
org-id prefixes, charity and company number formats, title equal to description, long titles,
implausible dates, planned start after end, missing Last Modified or Data Source, one funder
name with several identifiers, and (for pooled grants) funders' shares that do not add up to
the amount awarded or name a provider that is not a funder.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

# The UK org-id.guide lists we issue (and those a recipient may have), offline.
RECOGNISED_PREFIXES = frozenset({"GB-CHC", "GB-COH", "GB-SC", "GB-NIC", "GB-MPR", "GB-LAE",
                                 "GB-LAS", "GB-PLA", "GB-GOR", "GB-NHS", "GB-EDU", "GB-UKPRN",
                                 "GB-LANI", "GB-UTL", "GB-WALEDU"})
CHARITY_RE = re.compile(r"^\d{6,8}$")
COMPANY_RE = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
TITLE_LIMIT = 140


def _prefix(org_id: str) -> str:
    parts = org_id.split("-")
    return "-".join(parts[:2]) if len(parts) >= 3 else org_id


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return None


def grant_problems(grant: dict, today: datetime.date | None = None) -> list[str]:
    today = today or datetime.date.today()
    found = []
    ident = grant.get("id", "?")
    if not grant.get("amountAwarded"):
        found.append(f"{ident}: the amount awarded is zero.")
    for key in ("recipientOrganization", "fundingOrganization"):
        for org in grant.get(key, []):
            org_id = org.get("id", "")
            if org_id.startswith("360G-"):
                found.append(f"{ident}: {key} {org.get('name')} has a 360G identifier, not an "
                             "org-id from a register.")
            elif _prefix(org_id) not in RECOGNISED_PREFIXES:
                found.append(f"{ident}: {key} identifier {org_id} has an unrecognised prefix.")
            if org.get("charityNumber") and not CHARITY_RE.match(org["charityNumber"]):
                found.append(f"{ident}: charity number {org['charityNumber']} is malformed.")
            if org.get("companyNumber") and not COMPANY_RE.match(org["companyNumber"]):
                found.append(f"{ident}: company number {org['companyNumber']} is malformed.")
    title, text = grant.get("title", ""), grant.get("description", "")
    if title.strip().lower() == text.strip().lower():
        found.append(f"{ident}: the title is the same as the description.")
    if len(title) > TITLE_LIMIT:
        found.append(f"{ident}: the title is longer than {TITLE_LIMIT} characters.")
    award = _date(grant.get("awardDate", ""))
    if award is None or award.year < 1990 or award > today:
        found.append(f"{ident}: the award date {grant.get('awardDate')} is not plausible.")
    for dates in grant.get("plannedDates", []):
        start, end = _date(dates.get("startDate", "")), _date(dates.get("endDate", ""))
        if start and end and start > end:
            found.append(f"{ident}: the planned start is after the planned end.")
        if end and end.year > today.year + 25:
            found.append(f"{ident}: the planned end date is too far in the future.")
    found += _share_problems(grant, ident)
    if not grant.get("dateModified"):
        found.append(f"{ident}: Last Modified is missing.")
    if not grant.get("dataSource"):
        found.append(f"{ident}: Data Source is missing.")
    return found


def _share_problems(grant: dict, ident: str) -> list[str]:
    shares = grant.get("commitmentTransaction") or []
    if not shares:
        return []
    found = []
    funders = {org.get("id") for org in grant.get("fundingOrganization", [])}
    for share in shares:
        if share.get("provider") not in funders:
            found.append(f"{ident}: a share is provided by {share.get('provider')}, which is "
                         "not one of the grant's funders.")
    total = sum(Decimal(str(share.get("value", 0))) for share in shares)
    if total != Decimal(str(grant.get("amountAwarded", 0))):
        found.append(f"{ident}: the funders' shares add up to {total}, not the amount awarded.")
    return found


def package_problems(grants: Iterable[dict], today: datetime.date | None = None) -> list[str]:
    found: list[str] = []
    ids_by_funder_name: dict[str, set[str]] = defaultdict(set)
    for grant in grants:
        found += grant_problems(grant, today)
        for org in grant.get("fundingOrganization", []):
            ids_by_funder_name[org.get("name", "")].add(org.get("id", ""))
    for name, ids in ids_by_funder_name.items():
        if len(ids) > 1:
            found.append(f"The funder {name} has several identifiers: {', '.join(sorted(ids))}.")
    return found
