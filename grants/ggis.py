"""The award file for the Government Grants Information System (GGIS).

GovS 015 minimum requirement 2 says details of all current grant schemes and awards must be on
GGIS. GGIS is not public and its upload template is not published, so each column says where it
comes from and whether its name and meaning could be checked (``verified``) against a public
source: the GAP (Find a grant) code, whose scheme carries a mandatory GGIS identifier and whose
due-diligence payload names the applicant fields below. Columns marked unverified are what a
departmental upload plainly needs; check them against your department's GGIS template.
Sources: ../shared/domain/grants.md sections 3.2 (MR2) and 4.1 (GAP).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from grants.models import Instrument
from grants.threesixty.grant import grant_id
from organisations.models import Organisation

GAP = "GAP gap-find-admin-backend (Spotlight due-diligence payload)"


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable
    source: str
    verified: bool


# GAP's organisation types (GrantMandatoryQuestions), from our legal forms.
ORGANISATION_TYPES = {
    Organisation.LegalForm.CHARITY: "Registered charity",
    Organisation.LegalForm.CIO: "Registered charity",
    Organisation.LegalForm.CIC: "Limited company",
    Organisation.LegalForm.CLG: "Limited company",
    Organisation.LegalForm.SOCIETY: "Non-limited company",
    Organisation.LegalForm.MUTUAL: "Other",
    Organisation.LegalForm.SME: "Limited company",
    Organisation.LegalForm.LARGE: "Limited company",
    Organisation.LegalForm.PUBLIC_BODY: "Local authority",
}
# Resource (revenue) or capital spending, as budgets are classified.
SPEND_TYPES = {Instrument.REVENUE: "Resource", Instrument.CAPITAL: "Capital",
               Instrument.REPAYABLE: "Resource"}


def _address(org) -> str:
    return ", ".join(part for part in (org.address_line_1, org.address_line_2) if part)


COLUMNS = (
    Column("GGIS scheme ID", lambda a: a.programme.ggis_scheme_id,
           "GAP scheme ggis_identifier (mandatory there)", True),
    Column("Scheme name", lambda a: a.programme.title, "Programme title", False),
    Column("Funding organisation", lambda a: a.programme.authority.name, GAP + ": funder",
           True),
    Column("Funding organisation identifier", lambda a: a.programme.authority.org_id,
           "org-id of the funder (360Giving)", False),
    Column("Award reference", lambda a: a.reference, GAP + ": application number", True),
    Column("360Giving identifier", lambda a: grant_id(a),
           "Cross-reference to the 360Giving export", False),
    Column("Recipient name", lambda a: a.recipient.name, GAP + ": organisation name", True),
    Column("Recipient address", lambda a: _address(a.recipient), GAP + ": address", True),
    Column("Recipient town", lambda a: a.recipient.town, GAP + ": address (city)", True),
    Column("Recipient postcode", lambda a: a.recipient.postcode, GAP + ": address (postcode)",
           True),
    Column("Recipient organisation type",
           lambda a: ORGANISATION_TYPES.get(a.recipient.legal_form, "Other"),
           GAP + ": organisation type (GAP's list)", True),
    Column("Companies House number", lambda a: a.recipient.company_number,
           GAP + ": Companies House number", True),
    Column("Charity Commission number", lambda a: a.recipient.charity_number,
           GAP + ": Charity Commission number", True),
    Column("Amount awarded (GBP)", lambda a: a.amount_awarded, GAP + ": amount", True),
    Column("Award date", lambda a: a.awarded_on, "Award", False),
    Column("Start date", lambda a: a.planned_start, "Agreement", False),
    Column("End date", lambda a: a.planned_end, "Agreement", False),
    Column("Amount paid to date (GBP)", lambda a: a.amount_paid - a.amount_recovered,
           "Payments less recoveries", False),
    Column("Spend type", lambda a: SPEND_TYPES.get(a.instrument, ""),
           "Funding instrument as resource or capital", False),
    Column("Funding instrument", lambda a: dict(Instrument.choices).get(a.instrument, ""),
           "Funding instrument", False),
    Column("Competed", lambda a: "Yes" if a.from_open_call else "No",
           "GovS 015 MR5 (competition by default)", False),
    Column("Beneficiary postcode", lambda a: a.beneficiary_postcode,
           "Where the work happens", False),
)


def rows(awards) -> Iterator[list]:
    """The header, then one row per award."""
    yield [column.title for column in COLUMNS]
    for award in awards:
        yield [column.value(award) for column in COLUMNS]


def safe(value):
    """Stop spreadsheet programs reading a text cell as a formula."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return f"'{value}"
    return value


class _Line:
    def write(self, text: str) -> str:
        return text


def csv_chunks(awards) -> Iterator[str]:
    writer = csv.writer(_Line())
    for row in rows(awards):
        yield writer.writerow([safe(value) for value in row])


def spreadsheet_rows(awards) -> Iterator[list]:
    for row in rows(awards):
        yield [safe(value) for value in row]
