"""The definitions of a public service mutual as rules over recorded evidence.

Each definition is a list of limbs; each limb reads the evidence snapshot (a plain dict, so a
decision can be re-evaluated from what it stored) and the definition version's thresholds, and
says whether it passes and why, in words an applicant understands. No statute gives a number:
every threshold is policy, set per version with its rationale (see the data migration and
docs/decisions/0016-mutual-definitions.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

Evidence = dict[str, Any]
Thresholds = dict[str, Any]

# Profit uses each definition accepts.
S33_PROFIT_USES = frozenset({"not_for_profit", "members_only"})
REG77_PROFIT_USES = frozenset({"not_for_profit", "participatory"})


@dataclass(frozen=True)
class LimbResult:
    limb: str
    label: str
    passed: bool
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def evidence_of(profile) -> Evidence:
    """The facts the rules read, as JSON-safe values (stored with every decision)."""
    return {
        "delivers_public_services": profile.delivers_public_services,
        "reservable_income_percent": str(profile.reservable_income_percent),
        "profit_use": profile.profit_use,
        "board_seats": profile.board_seats,
        "employee_board_seats": profile.employee_board_seats,
        "employee_board_percent": str(profile.employee_board_percent),
        "employee_ownership_percent": str(profile.employee_ownership_percent),
        "has_employee_council": profile.has_employee_council,
        "stakeholder_participation": profile.stakeholder_participation,
        "origin": profile.origin,
        "spun_out_of": profile.spun_out_of,
        "spun_out_on": profile.spun_out_on.isoformat() if profile.spun_out_on else "",
        "has_governing_rules": profile.governing_rules_id is not None,
        "staff_count": profile.staff_count,
        "services": [s.cpv_code for s in profile.services.all()],
    }


def _pct(evidence: Evidence, name: str) -> Decimal:
    return Decimal(str(evidence.get(name) or 0))


def _limit(thresholds: Thresholds, name: str) -> Decimal:
    return Decimal(str(thresholds[name]))


# -- programme definition: left the public sector, delivers public services, staff influence --

def left_public_sector(ev: Evidence, th: Thresholds) -> LimbResult:
    label = "Has left the public sector"
    if ev["origin"] != "spun_out":
        return LimbResult("left_public_sector", label, False,
                          "The organisation is community-led and was never part of a public "
                          "body; this definition is for organisations that spun out of one.")
    if not ev["spun_out_of"] or not ev["spun_out_on"]:
        return LimbResult("left_public_sector", label, False,
                          "Record which public body it spun out of and when.")
    return LimbResult("left_public_sector", label, True,
                      f"Spun out of {ev['spun_out_of']} on {ev['spun_out_on']}.")


def delivers_public_services(ev: Evidence, th: Thresholds) -> LimbResult:
    label = "Continues to deliver public services"
    if ev["delivers_public_services"]:
        return LimbResult("public_services", label, True, "It delivers public services.")
    return LimbResult("public_services", label, False,
                      "The evidence does not say it delivers public services.")


def staff_influence(ev: Evidence, th: Thresholds) -> LimbResult:
    label = "A significant degree of staff influence or control"
    board, ownership = _pct(ev, "employee_board_percent"), _pct(ev, "employee_ownership_percent")
    min_board = _limit(th, "min_employee_board_percent")
    min_owned = _limit(th, "min_employee_ownership_percent")
    ways = []
    if board >= min_board:
        ways.append(f"employees hold {board}% of board seats (at least {min_board}%)")
    if ownership >= min_owned:
        ways.append(f"employees own {ownership}% (at least {min_owned}%)")
    if th.get("employee_council_counts") and ev["has_employee_council"]:
        ways.append("it has an employee council")
    if ways:
        return LimbResult("staff_influence", label, True, "Yes: " + "; ".join(ways) + ".")
    return LimbResult("staff_influence", label, False,
                      f"Employees hold {board}% of board seats and own {ownership}%: this "
                      f"definition needs at least {min_board}% of seats or {min_owned}% "
                      "ownership" + (", or an employee council." if th.get(
                          "employee_council_counts") else "."))


# -- Procurement Act 2023 s.33(6): purpose, profits, employee management and control ----------

def s33_purpose(ev: Evidence, th: Thresholds) -> LimbResult:
    label = ("Operates to deliver public services, mainly reservable light-touch services "
             "(s.33(6)(a))")
    share, floor = _pct(ev, "reservable_income_percent"), _limit(th, "min_reservable_percent")
    if not ev["delivers_public_services"]:
        return LimbResult("s33_purpose", label, False,
                          "The evidence does not say it operates to deliver public services.")
    if share > floor:
        return LimbResult("s33_purpose", label, True,
                          f"{share}% of its income comes from reservable light-touch services "
                          f"(more than {floor}%).")
    return LimbResult("s33_purpose", label, False,
                      f"Only {share}% of its income comes from reservable light-touch services; "
                      f"'mainly' needs more than {floor}%.")


def s33_profits(ev: Evidence, th: Thresholds) -> LimbResult:
    label = "Not for profit, or profits distributed only to members (s.33(6)(b))"
    if ev["profit_use"] in S33_PROFIT_USES:
        return LimbResult("s33_profits", label, True, "Its profits stay in the organisation or "
                                                      "go only to its members.")
    return LimbResult("s33_profits", label, False,
                      "Its profits may go to people who are not members.")


def s33_control(ev: Evidence, th: Thresholds) -> LimbResult:
    label = "Under the management and control of its employees (s.33(6)(c))"
    board, floor = _pct(ev, "employee_board_percent"), _limit(th, "min_employee_board_percent")
    if board > floor:
        return LimbResult("s33_control", label, True,
                          f"Employees hold {board}% of board seats (more than {floor}%).")
    return LimbResult("s33_control", label, False,
                      f"Employees hold {board}% of board seats; management and control needs "
                      f"more than {floor}%.")


# -- PCR 2015 reg 77(4): mission, profits, participatory governance -------------------------

def reg77_mission(ev: Evidence, th: Thresholds) -> LimbResult:
    label = "Pursues a public service mission linked to the reserved services (reg 77(4)(a))"
    share = _pct(ev, "reservable_income_percent")
    if ev["delivers_public_services"] and share > _limit(th, "min_reservable_percent"):
        return LimbResult("reg77_mission", label, True,
                          f"It delivers public services; {share}% of its income comes from "
                          "the services that can be reserved.")
    return LimbResult("reg77_mission", label, False,
                      "The evidence does not show a public service mission in the services "
                      "that can be reserved.")


def reg77_profits(ev: Evidence, th: Thresholds) -> LimbResult:
    label = "Profits reinvested, or distributed on participatory considerations (reg 77(4)(b))"
    if ev["profit_use"] in REG77_PROFIT_USES:
        return LimbResult("reg77_profits", label, True, "Its profits are reinvested or "
                                                        "distributed on participatory grounds.")
    return LimbResult("reg77_profits", label, False,
                      "Its profits may be distributed other than on participatory "
                      "considerations.")


def reg77_governance(ev: Evidence, th: Thresholds) -> LimbResult:
    label = ("Run on employee ownership or participatory principles, or with the active "
             "participation of employees, users or stakeholders (reg 77(4)(c))")
    if (_pct(ev, "employee_ownership_percent") > 0 or ev["employee_board_seats"]
            or ev["has_employee_council"] or ev["stakeholder_participation"]):
        return LimbResult("reg77_governance", label, True,
                          "Employees or stakeholders take part in owning or running it.")
    return LimbResult("reg77_governance", label, False,
                      "Neither employees nor stakeholders own or take part in running it.")


Limb = Callable[[Evidence, Thresholds], LimbResult]
LIMBS: dict[str, tuple[Limb, ...]] = {
    "programme": (left_public_sector, delivers_public_services, staff_influence),
    "s33": (s33_purpose, s33_profits, s33_control),
    "reg77": (reg77_mission, reg77_profits, reg77_governance),
}


def evaluate(key: str, evidence: Evidence, thresholds: Thresholds) -> list[LimbResult]:
    """Every limb of definition `key` against the evidence, in order."""
    return [limb(evidence, thresholds) for limb in LIMBS[key]]


def all_pass(results: list[LimbResult]) -> bool:
    return all(result.passed for result in results)
