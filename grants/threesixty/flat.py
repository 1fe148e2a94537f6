"""The flat (CSV) form of the 360Giving data, with the standard's column titles.

A pooled programme names several funders. With more than one funder in the file, the funder
columns are numbered as the 360Giving tools (flatten-tool's titles) number a list:
``Funding Org:0:Identifier``, ``Funding Org:1:Identifier``...; with one, they keep the
template's plain titles.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

FUNDERS = ("Funding Org", None)
COLUMNS = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Applied For", lambda g: g.get("amountAppliedFor", "")),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Amount Disbursed", lambda g: g["amountDisbursed"]),
    ("Award Date", lambda g: g["awardDate"]),
    ("Planned Dates:Start Date", lambda g: g["plannedDates"][0]["startDate"]),
    ("Planned Dates:End Date", lambda g: g["plannedDates"][0]["endDate"]),
    ("Recipient Org:Identifier", lambda g: g["recipientOrganization"][0]["id"]),
    ("Recipient Org:Name", lambda g: g["recipientOrganization"][0]["name"]),
    ("Recipient Org:Charity Number",
     lambda g: g["recipientOrganization"][0].get("charityNumber", "")),
    ("Recipient Org:Company Number",
     lambda g: g["recipientOrganization"][0].get("companyNumber", "")),
    ("Recipient Org:Postal Code", lambda g: g["recipientOrganization"][0].get("postalCode", "")),
    FUNDERS,  # a pair of columns per funder: see columns()
    ("Grant Programme:Code", lambda g: g["grantProgramme"][0]["code"]),
    ("Grant Programme:Title", lambda g: g["grantProgramme"][0]["title"]),
    ("From An Open Call?", lambda g: g["fromOpenCall"]),
    ("Beneficiary Location:Name",
     lambda g: (g.get("beneficiaryLocation") or [{}])[0].get("name", "")),
    ("Beneficiary Location:Country Code",
     lambda g: (g.get("beneficiaryLocation") or [{}])[0].get("countryCode", "")),
    ("Classifications:Code", lambda g: g["classifications"][0]["code"]),
    ("Classifications:Title", lambda g: g["classifications"][0]["title"]),
    ("Last Modified", lambda g: g["dateModified"]),
    ("Data Source", lambda g: g["dataSource"]),
]


class _Line:
    def write(self, text: str) -> str:
        return text


def _funder(index: int, key: str):
    def value(grant: dict) -> str:
        funders = grant["fundingOrganization"]
        return funders[index][key] if index < len(funders) else ""
    return value


def columns(funders: int = 1) -> list[tuple[str, object]]:
    """The columns, with an identifier and a name column per funder."""
    found = []
    for column in COLUMNS:
        if column is not FUNDERS:
            found.append(column)
            continue
        for index in range(funders):
            number = f"{index}:" if funders > 1 else ""
            found.append((f"Funding Org:{number}Identifier", _funder(index, "id")))
            found.append((f"Funding Org:{number}Name", _funder(index, "name")))
    return found


def rows(grants, *, funders: int = 1) -> Iterator[str]:
    """The CSV lines: the titles, then a line per grant (``funders``: the most any grant has)."""
    chosen = columns(funders)
    writer = csv.writer(_Line())
    yield writer.writerow([title for title, _ in chosen])
    for grant in grants:
        yield writer.writerow([value(grant) for _, value in chosen])
