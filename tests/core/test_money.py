"""Money: Decimal pounds and pence, rounded half up, never floats."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.money import MoneyField, format_gbp, to_money, vat_inclusive


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.005", Decimal("1.01")),  # half up, where float would give 1.00
        ("1.004", Decimal("1.00")),
        ("2.675", Decimal("2.68")),
        ("-1.005", Decimal("-1.01")),  # half away from zero
        (" 12 ", Decimal("12.00")),
        (7, Decimal("7.00")),
        (Decimal("0.125"), Decimal("0.13")),
        ("1E+3", Decimal("1000.00")),
    ],
)
def test_to_money_quantizes_half_up(value, expected):
    result = to_money(value)

    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize("value", [0.1, 1.0, True, None, [1]])
def test_to_money_refuses_floats_and_other_types(value):
    with pytest.raises(TypeError, match="Money must be a Decimal, int or str"):
        to_money(value)


@pytest.mark.parametrize("value", ["", "abc", "£5", "NaN", "Infinity"])
def test_to_money_refuses_text_that_is_not_an_amount(value):
    with pytest.raises(ValueError, match="is not an amount of money"):
        to_money(value)


def test_to_money_refuses_more_digits_than_it_can_round():
    with pytest.raises(ValueError, match="too large an amount"):
        to_money("1" * 40)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234.5", "£1,234.50"),
        (0, "£0.00"),
        ("1234567.891", "£1,234,567.89"),
        ("-5", "\u2212£5.00"),
        ("-0.001", "£0.00"),  # rounds to zero: no minus sign on nothing
        (Decimal("0.5"), "£0.50"),
    ],
)
def test_format_gbp(value, expected):
    assert format_gbp(value) == expected


def test_format_gbp_refuses_floats():
    with pytest.raises(TypeError):
        format_gbp(9.99)


def test_vat_inclusive():
    assert vat_inclusive("100") == Decimal("120.00")
    assert vat_inclusive("0.99") == Decimal("1.19")  # 1.188
    assert vat_inclusive("10.00", rate=Decimal("0.05")) == Decimal("10.50")
    assert vat_inclusive("10.00", rate=0) == Decimal("10.00")
    with pytest.raises(TypeError):
        vat_inclusive("10.00", rate=0.2)


def test_money_field_defaults_and_negative_amounts():
    field = MoneyField()

    assert (field.max_digits, field.decimal_places) == (14, 2)
    assert field.clean(Decimal("12.50"), None) == Decimal("12.50")
    with pytest.raises(ValidationError, match="£0 or more"):
        field.clean(Decimal("-0.01"), None)
    assert MoneyField(allow_negative=True).clean(Decimal("-5.00"), None) == Decimal("-5.00")


def test_money_field_rejects_more_than_two_decimal_places():
    with pytest.raises(ValidationError):
        MoneyField().clean(Decimal("1.234"), None)


def test_money_field_deconstructs_for_migrations():
    _, path, _, kwargs = MoneyField(allow_negative=True).deconstruct()

    assert path == "core.money.MoneyField"
    assert kwargs == {"max_digits": 14, "decimal_places": 2, "allow_negative": True}
    assert "allow_negative" not in MoneyField().deconstruct()[3]


def test_money_form_field_has_a_minimum_unless_negatives_are_allowed():
    assert MoneyField().formfield().min_value == Decimal("0")
    assert MoneyField(allow_negative=True).formfield().min_value is None
