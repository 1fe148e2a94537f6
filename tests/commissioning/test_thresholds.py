"""The dated threshold table: the row in force on the day decides, values include VAT."""

import datetime
from decimal import Decimal

import pytest

from commissioning import thresholds


@pytest.mark.parametrize(("day", "contract_type", "light_touch", "expected"), [
    (datetime.date(2025, 12, 31), "services", False, Decimal("214904")),
    (datetime.date(2026, 1, 1), "services", False, Decimal("207720")),
    (datetime.date(2025, 6, 1), "goods", False, Decimal("214904")),
    (datetime.date(2025, 6, 1), "works", False, Decimal("5372609")),
    (datetime.date(2026, 1, 1), "works", False, Decimal("5193000")),
    (datetime.date(2025, 6, 1), "services", True, Decimal("663540")),
    (datetime.date(2026, 6, 1), "services", True, Decimal("663540")),
])
def test_sub_central_threshold_in_force_on_the_day(day, contract_type, light_touch, expected):
    assert thresholds.threshold_for(contract_type=contract_type, is_light_touch=light_touch,
                                    on=day) == expected


def test_central_government_rows_exist():
    assert thresholds.threshold_for(contract_type="services", is_light_touch=False,
                                    on=datetime.date(2026, 3, 1),
                                    authority_type=thresholds.CENTRAL) == Decimal("135018")


def test_exactly_at_the_threshold_counts_as_above():
    above, applied = thresholds.is_above_threshold(
        value_inc_vat=Decimal("207720.00"), contract_type="services", is_light_touch=False,
        on=datetime.date(2026, 2, 1))
    assert above and applied == Decimal("207720")
    below, _ = thresholds.is_above_threshold(
        value_inc_vat=Decimal("207719.99"), contract_type="services", is_light_touch=False,
        on=datetime.date(2026, 2, 1))
    assert not below


def test_a_value_between_the_2026_and_2024_thresholds_depends_on_the_day():
    value = Decimal("210000")
    before, _ = thresholds.is_above_threshold(value_inc_vat=value, contract_type="services",
                                              is_light_touch=False, on=datetime.date(2025, 12, 1))
    after, _ = thresholds.is_above_threshold(value_inc_vat=value, contract_type="services",
                                             is_light_touch=False, on=datetime.date(2026, 1, 2))
    assert (before, after) == (False, True)


def test_days_before_the_table_are_refused():
    with pytest.raises(ValueError, match="No threshold table"):
        thresholds.threshold_for(contract_type="services", is_light_touch=False,
                                 on=datetime.date(2023, 6, 1))


def test_notifiable_below_threshold_values():
    assert thresholds.notifiable_value() == Decimal("30000")
    assert thresholds.notifiable_value(authority_type=thresholds.CENTRAL) == Decimal("12000")
