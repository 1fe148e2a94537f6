"""Procurement Act 2023 thresholds (Schedule 1), as a dated table. Values INCLUDE VAT.

A tender is above threshold when its estimated value inclusive of VAT is at or above the
threshold in force on the day it is published. Rows are (valid from, amounts); the row whose
date is the latest on or before the day applies. Sources: Schedule 1 as amended from
1 January 2024 (PPN 11/23) and by the Threshold Amounts (Amendment) Regulations 2025 from
1 January 2026. Authorities are treated as sub-central (councils) unless told otherwise:
the Organisation model has no authority-type field yet.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

CENTRAL = "central"
SUB_CENTRAL = "sub_central"

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
    }),
    (datetime.date(2026, 1, 1), {
        (CENTRAL, GOODS_SERVICES): Decimal("135018"),
        (SUB_CENTRAL, GOODS_SERVICES): Decimal("207720"),
        (CENTRAL, WORKS): Decimal("5193000"),
        (SUB_CENTRAL, WORKS): Decimal("5193000"),
        (CENTRAL, LIGHT_TOUCH): Decimal("663540"),
        (SUB_CENTRAL, LIGHT_TOUCH): Decimal("663540"),
    }),
]

# Below threshold, a contract at or above these values is "notifiable" (inc VAT, s.86-88).
NOTIFIABLE_BELOW_THRESHOLD = {CENTRAL: Decimal("12000"), SUB_CENTRAL: Decimal("30000")}


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
    key = (authority_type, category(contract_type=contract_type, is_light_touch=is_light_touch))
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
    return NOTIFIABLE_BELOW_THRESHOLD[authority_type]
