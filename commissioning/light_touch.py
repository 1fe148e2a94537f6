"""Light touch contracts from CPV codes: reference data in data/light_touch_cpv.csv.

A contract is light touch when it is wholly or mainly for light touch services (Procurement Act
2023 s.9; the services are the CPV codes of the Procurement Regulations 2024, Schedule 1,
Table 1). The portal reads "mainly" from the tender's main CPV code, and shows the commissioner
each code's answer and the row behind it, so the derivation can be checked.

A row with only ``cpv_from`` covers exactly that code (the Schedule lists the codes it means;
a parent code does not bring in all its children). A row with ``cpv_to`` covers the inclusive
range and the codes below its last code. Every row says whether it was checked against the
Schedule; answers resting on an unchecked row say so.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "light_touch_cpv.csv"
VERIFIED = "verified"


def digits(code: str) -> str:
    """The eight digits of a CPV code, without its check digit."""
    return code.split("-", 1)[0].strip()


def _subtree_end(code: str) -> str:
    stem = code.rstrip("0") or code[:1]
    return stem.ljust(8, "9")


@dataclass(frozen=True)
class LightTouchRow:
    cpv_from: str
    cpv_to: str
    description: str
    heading: str
    status: str
    source: str

    @property
    def verified(self) -> bool:
        return self.status == VERIFIED

    def covers(self, code: str) -> bool:
        eight = digits(code)
        if len(eight) != 8 or not eight.isdigit():
            return False
        if not self.cpv_to:
            return eight == self.cpv_from
        return self.cpv_from <= eight <= _subtree_end(self.cpv_to)


@cache
def rows() -> tuple[LightTouchRow, ...]:
    with DATA.open(newline="", encoding="utf-8") as handle:
        return tuple(
            LightTouchRow(cpv_from=r["cpv_from"], cpv_to=r["cpv_to"],
                          description=r["description"], heading=r["heading"],
                          status=r["pa2023_schedule1"], source=r["source"])
            for r in csv.DictReader(handle))


def row_for(code: str) -> LightTouchRow | None:
    """The reference row that makes `code` a light touch service, or None."""
    return next((row for row in rows() if row.covers(code)), None)


@dataclass(frozen=True)
class CodeAnswer:
    code: str
    is_main: bool
    row: LightTouchRow | None

    @property
    def light_touch(self) -> bool:
        return self.row is not None

    @property
    def explanation(self) -> str:
        if self.row is None:
            return ("Not a light touch service (not in Schedule 1 of the Procurement "
                    "Regulations 2024).")
        range_text = f"{self.row.cpv_from} to {self.row.cpv_to}" if self.row.cpv_to else \
            self.row.cpv_from
        checked = "" if self.row.verified else " (this row is not yet checked against the Schedule)"
        return f"Light touch: {self.row.heading}, {range_text} {self.row.description}{checked}."


@dataclass(frozen=True)
class Assessment:
    """Whether a contract is light touch, from its CPV codes, and why."""

    answers: tuple[CodeAnswer, ...] = field(default_factory=tuple)

    @property
    def main(self) -> CodeAnswer | None:
        return next((a for a in self.answers if a.is_main), None)

    @property
    def is_light_touch(self) -> bool:
        return self.main is not None and self.main.light_touch

    @property
    def unverified(self) -> bool:
        """The answer rests on a reference row not checked against the Schedule."""
        main = self.main
        return main is not None and main.row is not None and not main.row.verified

    @property
    def reason(self) -> str:
        main = self.main
        if main is None:
            return "Add the CPV codes, with one main code, to find out whether this is a light " \
                   "touch contract."
        if main.light_touch:
            text = (f"This is a light touch contract: its main CPV code {main.code} is a light "
                    f"touch service ({main.row.heading}). A contract wholly or mainly for light "
                    "touch services is light touch (Procurement Act 2023, section 9).")
        else:
            text = (f"This is not a light touch contract: its main CPV code {main.code} is not a "
                    "light touch service in Schedule 1 of the Procurement Regulations 2024.")
        others = [a.code for a in self.answers
                  if not a.is_main and a.light_touch != main.light_touch]
        if others:
            text += (f" {', '.join(others)} {'differs' if len(others) == 1 else 'differ'}: if "
                     "they are most of the contract's value, make the main code one of them.")
        return text


def assess(codes: Iterable[tuple[str, bool]]) -> Assessment:
    """Assess (code, is_main) pairs; main code first, then the others in the order given."""
    pairs = sorted(codes, key=lambda pair: not pair[1])
    return Assessment(tuple(CodeAnswer(code, is_main, row_for(code)) for code, is_main in pairs))


def consequences(assessment: Assessment) -> list[str]:
    """What being (or not being) light touch changes for this procurement, for the commissioner."""
    if not assessment.is_light_touch:
        return ["The usual minimum tendering periods apply.",
                "A standstill period is required before the contract is entered, above "
                "threshold.",
                "It cannot be reserved for public service mutuals (section 33 needs light touch "
                "services)."]
    return ["The tendering period can be as short as 10 days.",
            "A standstill period is optional: you may choose a voluntary one at award.",
            "It may be reserved for public service mutuals if its services are reservable "
            "(section 33) and the other conditions are met.",
            "The light touch threshold applies."]


def assess_tender(tender) -> Assessment:
    """The assessment of a tender's CPV codes (prefetch ``cpv_codes`` to avoid a query)."""
    return assess((cpv.code, cpv.is_main) for cpv in tender.cpv_codes.all())
