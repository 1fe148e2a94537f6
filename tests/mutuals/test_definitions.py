"""Each limb of each definition as a table: pass, fail, and at the threshold."""

from decimal import Decimal

import pytest

from mutuals import definitions
from mutuals.definitions_data import PROGRAMME_V1, REG77_V1, S33_V1

BASE = {
    "delivers_public_services": True, "reservable_income_percent": "90",
    "profit_use": "not_for_profit", "board_seats": 8, "employee_board_seats": 5,
    "employee_board_percent": "62.50", "employee_ownership_percent": "0",
    "has_employee_council": False, "stakeholder_participation": False, "origin": "spun_out",
    "spun_out_of": "Northby Council", "spun_out_on": "2016-04-01", "has_governing_rules": True,
    "staff_count": 40, "services": ["85312000-9"],
}


def run(limb, thresholds, **facts):
    return limb({**BASE, **facts}, thresholds)


@pytest.mark.parametrize(("facts", "passed"), [
    ({}, True),
    ({"origin": "community_led"}, False),
    ({"spun_out_on": ""}, False),
    ({"spun_out_of": ""}, False),
])
def test_programme_left_the_public_sector(facts, passed):
    result = run(definitions.left_public_sector, PROGRAMME_V1["thresholds"], **facts)
    assert result.passed is passed
    assert result.reason


@pytest.mark.parametrize(("facts", "passed"), [
    ({"employee_board_percent": "25.00"}, True),     # at the threshold: "at least"
    ({"employee_board_percent": "24.99"}, False),
    ({"employee_board_percent": "0", "employee_ownership_percent": "25"}, True),
    ({"employee_board_percent": "0", "employee_ownership_percent": "24.9"}, False),
    ({"employee_board_percent": "0", "has_employee_council": True}, True),
])
def test_programme_staff_influence(facts, passed):
    result = run(definitions.staff_influence, PROGRAMME_V1["thresholds"], **facts)
    assert result.passed is passed


def test_an_employee_council_counts_only_when_the_version_says_so():
    thresholds = {**PROGRAMME_V1["thresholds"], "employee_council_counts": False}
    result = run(definitions.staff_influence, thresholds, employee_board_percent="0",
                 has_employee_council=True)
    assert not result.passed
    assert "needs at least 25% of seats or 25% ownership." in result.reason


@pytest.mark.parametrize(("facts", "passed"), [
    ({"reservable_income_percent": "50.01"}, True),
    ({"reservable_income_percent": "50"}, False),    # at the threshold: "mainly" is more than half
    ({"reservable_income_percent": "10"}, False),
    ({"delivers_public_services": False}, False),
])
def test_s33_purpose(facts, passed):
    assert run(definitions.s33_purpose, S33_V1["thresholds"], **facts).passed is passed


@pytest.mark.parametrize(("profit_use", "s33", "reg77"), [
    ("not_for_profit", True, True),
    ("members_only", True, False),
    ("participatory", False, True),
    ("investors", False, False),
])
def test_profit_limbs(profit_use, s33, reg77):
    assert run(definitions.s33_profits, S33_V1["thresholds"], profit_use=profit_use).passed is s33
    assert run(definitions.reg77_profits, REG77_V1["thresholds"],
               profit_use=profit_use).passed is reg77


@pytest.mark.parametrize(("board_percent", "passed"), [
    ("50.01", True), ("50.00", False), ("57.14", True), ("0", False),
])
def test_s33_management_and_control(board_percent, passed):
    result = run(definitions.s33_control, S33_V1["thresholds"],
                 employee_board_percent=board_percent)
    assert result.passed is passed
    assert f"Employees hold {board_percent}% of board seats" in result.reason


@pytest.mark.parametrize(("facts", "passed"), [
    ({}, True),
    ({"employee_board_seats": 0, "employee_ownership_percent": "0"}, False),
    ({"employee_board_seats": 0, "stakeholder_participation": True}, True),
    ({"employee_board_seats": 0, "employee_ownership_percent": "1"}, True),
])
def test_reg77_participatory_governance(facts, passed):
    assert run(definitions.reg77_governance, REG77_V1["thresholds"], **facts).passed is passed


def test_reg77_mission_needs_some_reservable_income():
    thresholds = REG77_V1["thresholds"]
    assert run(definitions.reg77_mission, thresholds, reservable_income_percent="1").passed
    assert not run(definitions.reg77_mission, thresholds,
                   reservable_income_percent="0").passed


def test_community_led_organisations_can_meet_s33_but_not_the_programme_definition():
    evidence = {**BASE, "origin": "community_led", "spun_out_of": "", "spun_out_on": ""}
    assert definitions.all_pass(definitions.evaluate("s33", evidence, S33_V1["thresholds"]))
    results = definitions.evaluate("programme", evidence, PROGRAMME_V1["thresholds"])
    assert [r.limb for r in results if not r.passed] == ["left_public_sector"]


def test_the_employee_board_share_is_computed_from_seats():
    from mutuals.models import MutualProfile

    assert MutualProfile(board_seats=7, employee_board_seats=4).employee_board_percent == Decimal(
        "57.14")
    assert MutualProfile(board_seats=0, employee_board_seats=0).employee_board_percent == 0
