"""The monetised indicator of a commitment: shown for information, never the score.

``net = quantity × proxy × (1 − deadweight%) × attribution%``. Every figure carries the
formula as a sentence and its inputs, so evaluators and suppliers can reproduce it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.money import format_gbp, to_money

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Monetised:
    value: Decimal | None
    formula: str
    inputs: dict[str, str] = field(default_factory=dict)


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _number(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,}"


def monetise(
    *, quantity: Decimal, proxy: Decimal | None, deadweight: Decimal = Decimal("0"),
    attribution: Decimal = HUNDRED,
) -> Monetised:
    """quantity × proxy × (1 − deadweight%) × attribution%, rounded to the penny.

    ``deadweight`` and ``attribution`` are percentages (0 to 100). Without a proxy value the
    commitment is not monetised (value None) and the formula says why.
    """
    inputs = {
        "quantity": _number(quantity),
        "proxy": format_gbp(proxy) if proxy is not None else "",
        "deadweight": _percent(deadweight),
        "attribution": _percent(attribution),
    }
    if proxy is None:
        return Monetised(None, "Not monetised: the measure has no proxy value.", inputs)
    value = to_money(quantity * proxy * (1 - deadweight / HUNDRED) * (attribution / HUNDRED))
    formula = (
        f"{inputs['quantity']} × {inputs['proxy']} × (1 − {inputs['deadweight']}) × "
        f"{inputs['attribution']} = {format_gbp(value)}"
    )
    return Monetised(value, formula, inputs)
