"""Money is a Decimal in pounds sterling with two decimal places: never a float.

`to_money` is the one door into money arithmetic: it refuses floats (0.1 + 0.2 is not 0.3) and
rounds half up to the penny, as invoices and grant schedules do.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models

PENNY = Decimal("0.01")
STANDARD_VAT_RATE = Decimal("0.20")
MINUS_SIGN = "\u2212"  # a true minus sign, as GOV.UK style shows negative amounts

Amount = Decimal | int | str


def to_money(value: Amount) -> Decimal:
    """`value` as pounds and pence, rounded half up. Floats and booleans raise TypeError."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(
            f"Money must be a Decimal, int or str, not {type(value).__name__}: "
            "floats cannot hold pence exactly."
        )
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not an amount of money.") from exc
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount of money.")
    try:
        return amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # more digits than the decimal context holds
        raise ValueError(f"{value!r} is too large an amount of money.") from exc


def format_gbp(value: Amount) -> str:
    """'£1,234.50'; negative amounts as '−£5.00' (with a minus sign, not a hyphen)."""
    amount = to_money(value)
    text = f"£{abs(amount):,.2f}"
    return f"{MINUS_SIGN}{text}" if amount < 0 else text


def vat_inclusive(amount: Amount, rate: Amount = STANDARD_VAT_RATE) -> Decimal:
    """`amount` plus VAT at `rate` (0.20 is 20%), rounded to the penny."""
    return to_money(to_money(amount) * (1 + _rate(rate)))


def _rate(rate: Amount) -> Decimal:
    if isinstance(rate, bool) or not isinstance(rate, Decimal | int | str):
        raise TypeError(f"A VAT rate must be a Decimal, int or str, not {type(rate).__name__}.")
    return Decimal(rate)


class MoneyField(models.DecimalField):
    """A GBP amount: 14 digits, 2 decimal places, never negative unless allow_negative=True."""

    def __init__(self, *args: Any, allow_negative: bool = False, **kwargs: Any) -> None:
        self.allow_negative = allow_negative
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    @cached_property
    def validators(self) -> list[Any]:
        if self.allow_negative:
            return super().validators
        not_negative = MinValueValidator(Decimal("0"), message="Enter an amount of £0 or more.")
        return [*super().validators, not_negative]

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        if self.allow_negative:
            kwargs["allow_negative"] = True
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:
        if not self.allow_negative:
            kwargs.setdefault("min_value", Decimal("0"))
        return super().formfield(**kwargs)
