"""Which services a contract can be reserved for: reference data from data/*.csv.

A row covers one CPV code and its descendants, or an inclusive range of codes (and the
descendants of its last code). Rows carry, per legal regime, whether they were checked against
the source, so the portal can say when an answer rests on an unverified row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "reservable_services_cpv.csv"
REG77, S33 = "pcr2015_reg77", "pa2023_s33"


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
