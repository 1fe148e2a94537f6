"""Which services a contract can be reserved for: reference data from data/*.csv.

A row covers one CPV code and its descendants, or an inclusive range of codes (and the
descendants of its last code). Rows carry, per legal regime, whether they were checked against
the source, so the portal can say when an answer rests on an unverified row.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.calendar import local_date

DATA = Path(__file__).resolve().parent / "data" / "reservable_services_cpv.csv"
REG77, S33 = "pcr2015_reg77", "pa2023_s33"  # columns of the reference data
ACT_COMMENCEMENT = datetime.date(2025, 2, 24)


@dataclass(frozen=True)
class Regime:
    key: str  # the mutuals definition: "s33" or "reg77"
    reference: str  # the column of the reference data
    max_term_months: int
    citation: str
    needs_competitive_flexible: bool


S33_REGIME = Regime("s33", S33, 60, "section 33 of the Procurement Act 2023", True)
REG77_REGIME = Regime("reg77", REG77, 36,
                      "regulation 77 of the Public Contracts Regulations 2015", False)


def regime_for(tender) -> Regime:
    """Reg 77 for a procurement begun before the Act commenced, s.33 after."""
    started = local_date(tender.created_at)
    return REG77_REGIME if started < ACT_COMMENCEMENT else S33_REGIME


def _digits(code: str) -> str:
    return code.split("-", 1)[0].strip()


def _subtree_end(code: str) -> str:
    """The last eight-digit code below `code` in the CPV tree (trailing zeros become nines)."""
    digits = _digits(code)
    stem = digits.rstrip("0") or digits[:1]
    return stem.ljust(8, "9")


@dataclass(frozen=True)
class ReservableRow:
    cpv_from: str
    cpv_to: str
    description: str
    status: dict[str, str]  # regime -> "verified" | "unverified"
    source: str

    def covers(self, code: str) -> bool:
        digits = _digits(code)
        if len(digits) != 8 or not digits.isdigit():
            return False
        return _digits(self.cpv_from) <= digits <= _subtree_end(self.cpv_to or self.cpv_from)


@cache
def rows() -> tuple[ReservableRow, ...]:
    with DATA.open(newline="", encoding="utf-8") as handle:
        return tuple(
            ReservableRow(cpv_from=r["cpv_from"], cpv_to=r["cpv_to"],
                          description=r["description"],
                          status={REG77: r[REG77], S33: r[S33]}, source=r["source"])
            for r in csv.DictReader(handle))


def row_for(code: str, regime: str) -> ReservableRow | None:
    """The reference row that makes `code` reservable under `regime`, or None."""
    return next((row for row in rows() if row.status.get(regime) and row.covers(code)), None)
