"""The flat (CSV) form of the 360Giving data, with the standard's column titles."""

from __future__ import annotations

import csv
from collections.abc import Iterator

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
    ("Funding Org:Identifier", lambda g: g["fundingOrganization"][0]["id"]),
    ("Funding Org:Name", lambda g: g["fundingOrganization"][0]["name"]),
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


def rows(grants) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow([title for title, _ in COLUMNS])
    for grant in grants:
        yield writer.writerow([value(grant) for _, value in COLUMNS])
