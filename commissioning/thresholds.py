"""Procurement Act 2023 thresholds (Schedule 1), as a dated table. Values INCLUDE VAT.

A tender is above threshold when its estimated value inclusive of VAT is at or above the
threshold in force on the day it is published. Rows are (valid from, amounts); the row whose
date is the latest on or before the day applies. Sources: Schedule 1 as amended from
1 January 2024 (PPN 11/23) and by the Threshold Amounts (Amendment) Regulations 2025 from
1 January 2026.

The authority's type (organisations.Organisation.authority_type) chooses the row: central
government authorities and NHS bodies use the central row, devolved Welsh authorities the
sub-central row, utilities their own (higher) row; an authority with no type recorded is
treated as sub-central. NHS bodies as central government follows the domain note's sources
(secondary); the utilities rows are Schedule 1 as the domain note tabulates them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

CENTRAL = "central"
SUB_CENTRAL = "sub_central"
NHS = "nhs"
DEVOLVED_WELSH = "devolved_welsh"
UTILITY = "utility"

# The threshold row (and notifiable value) each authority type uses.
ROW_FOR_TYPE = {CENTRAL: CENTRAL, NHS: CENTRAL, SUB_CENTRAL: SUB_CENTRAL,
                DEVOLVED_WELSH: SUB_CENTRAL, UTILITY: UTILITY}

GOODS_SERVICES = "goods_services"
WORKS = "works"
LIGHT_TOUCH = "light_touch"

THRESHOLDS: list[tuple[datetime.date, dict[tuple[str, str], Decimal]]] = [
    (datetime.date(2024, 1, 1), {
        (CENTRAL, GOODS_SERVICES): Decimal("139688"),
        (SUB_CENTRAL, GOODS_SERVICES): Decimal("214904"),
        (CENTRAL, WORKS): Decimal("5372609"),
        (SUB_CENTRAL, WORKS): Decimal("5372609"),
        (CENTRAL, LIGHT_TOUCH): Decimal("663540"),
        (SUB_CENTRAL, LIGHT_TOUCH): Decimal("663540"),
        (UTILITY, GOODS_SERVICES): Decimal("429809"),
        (UTILITY, WORKS): Decimal("5372609"),
        (UTILITY, LIGHT_TOUCH): Decimal("884720"),
    }),
    (datetime.date(2026, 1, 1), {
        (CENTRAL, GOODS_SERVICES): Decimal("135018"),
        (SUB_CENTRAL, GOODS_SERVICES): Decimal("207720"),
        (CENTRAL, WORKS): Decimal("5193000"),
        (SUB_CENTRAL, WORKS): Decimal("5193000"),
        (CENTRAL, LIGHT_TOUCH): Decimal("663540"),
        (SUB_CENTRAL, LIGHT_TOUCH): Decimal("663540"),
        (UTILITY, GOODS_SERVICES): Decimal("415440"),
        (UTILITY, WORKS): Decimal("5193000"),
        (UTILITY, LIGHT_TOUCH): Decimal("884720"),
    }),
]

# Below threshold, a contract at or above these values is "notifiable" (inc VAT, s.86-88):
# £12,000 for central government authorities (NHS bodies included), £30,000 for any other.
NOTIFIABLE_BELOW_THRESHOLD = {CENTRAL: Decimal("12000"), SUB_CENTRAL: Decimal("30000"),
                              UTILITY: Decimal("30000")}


def row_for(authority_type: str) -> str:
    """The threshold row an authority type uses; unknown or blank types are sub-central."""
    return ROW_FOR_TYPE.get(authority_type or SUB_CENTRAL, SUB_CENTRAL)


def category(*, contract_type: str, is_light_touch: bool) -> str:
    """Which threshold column a contract falls in."""
    if is_light_touch:
        return LIGHT_TOUCH
    return WORKS if contract_type == "works" else GOODS_SERVICES


def threshold_for(
    *, contract_type: str, is_light_touch: bool, on: datetime.date | None = None,
    authority_type: str = SUB_CENTRAL,
) -> Decimal:
    """The threshold (inc VAT) in force on `on` (today in London when not given)."""
    day = on or timezone.localdate()
    rows = [amounts for starts, amounts in THRESHOLDS if starts <= day]
    if not rows:
        raise ValueError(f"No threshold table covers {day:%d %B %Y}.")
    column = category(contract_type=contract_type, is_light_touch=is_light_touch)
    key = (row_for(authority_type), column)
    return rows[-1][key]


def is_above_threshold(
    *, value_inc_vat: Decimal, contract_type: str, is_light_touch: bool,
    on: datetime.date | None = None, authority_type: str = SUB_CENTRAL,
) -> tuple[bool, Decimal]:
    """(above?, threshold applied): at or above the threshold counts as above."""
    threshold = threshold_for(contract_type=contract_type, is_light_touch=is_light_touch, on=on,
                              authority_type=authority_type)
    return value_inc_vat >= threshold, threshold


def notifiable_value(*, authority_type: str = SUB_CENTRAL) -> Decimal:
    """The value (inc VAT) from which a below-threshold contract is notifiable."""
    return NOTIFIABLE_BELOW_THRESHOLD[row_for(authority_type)]


def is_notifiable(*, value_inc_vat: Decimal, authority_type: str = SUB_CENTRAL) -> bool:
    """At or above the notifiable value counts as notifiable."""
    return value_inc_vat >= notifiable_value(authority_type=authority_type)
