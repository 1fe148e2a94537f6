"""UK organisation identifiers: format checks and org-id.guide identifiers derived from them.

Formats (org-id.guide lists): Charity Commission for England and Wales numbers (GB-CHC, 6 or 7
digits, older ones sometimes 8), Companies House numbers (GB-COH, always 8 characters, kept as a
string because leading zeros and prefixes such as SC or NI matter), the Scottish Charity
Regulator (GB-SC, SC followed by 6 digits), the FCA Mutuals Public Register (GB-MPR, digits with
an optional R suffix), and local authorities in England (GB-LAE, a 3 or 4 letter code).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from core.postcodes import normalise_postcode, validate_postcode  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from organisations.models import Organisation

CHARITY_RE = re.compile(r"^\d{6,8}$")
COMPANY_RE = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
OSCR_RE = re.compile(r"^SC\d{6}$")
FCA_RE = re.compile(r"^(IP)?\d{1,6}R?$")
AUTHORITY_RE = re.compile(r"^[A-Z]{3,4}$")
def normalise_company_number(value: str) -> str:
    value = (value or "").strip().upper().replace(" ", "")
    # Companies House numbers are 8 characters; people often drop the leading zeros.
    if value.isdigit() and 0 < len(value) < 8:
        value = value.zfill(8)
    return value


def validate_charity_number(value: str) -> None:
    if value and not CHARITY_RE.match(value.strip()):
        raise ValidationError("Enter a Charity Commission number of 6 to 8 digits, like 1234567.")


def validate_company_number(value: str) -> None:
    if value and not COMPANY_RE.match(normalise_company_number(value)):
        raise ValidationError(
            "Enter a Companies House number of 8 characters, like 01234567 or SC123456."
        )


def validate_oscr_number(value: str) -> None:
    if value and not OSCR_RE.match(value.strip().upper()):
        raise ValidationError("Enter an OSCR number: SC followed by 6 digits, like SC012345.")


def validate_fca_number(value: str) -> None:
    if value and not FCA_RE.match(value.strip().upper()):
        raise ValidationError(
            "Enter an FCA Mutuals Public Register number, like 12345R or IP12345R."
        )


def validate_authority_code(value: str) -> None:
    if value and not AUTHORITY_RE.match(value.strip().upper()):
        raise ValidationError("Enter a local authority code of 3 or 4 letters, like BIR.")


def derive_org_id(org: Organisation) -> str:
    """The most authoritative identifier the organisation has, in org-id.guide form."""
    candidates = (
        ("GB-CHC", org.charity_number),
        ("GB-SC", (org.oscr_number or "").upper()),
        ("GB-COH", normalise_company_number(org.company_number)),
        ("GB-MPR", (org.fca_number or "").upper()),
        ("GB-LAE", (org.authority_code or "").upper()),
    )
    for prefix, number in candidates:
        if number:
            return f"{prefix}-{number}"
    return ""
