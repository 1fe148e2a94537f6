"""Pure scoring arithmetic: price formulas, weighted totals and ranking with the tie-break.

Nothing here touches the database: selectors gather moderated scores and unsealed prices, and
these functions turn them into points and a ranking. All arithmetic is Decimal.

A criterion's points are ``weight × score ÷ maximum score``; price points are
``weight × fraction`` where the fraction comes from the tender's price formula. A bid's total
is the sum over the scored criteria plus the price points, out of 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
ONE = Decimal("1")
POINTS = Decimal("0.0001")  # totals are compared at this precision, so 1/3 + 2/3 ties with 1

LOWEST_RATIO = "lowest_ratio"
LINEAR_BUDGET = "linear_budget"

QUALITY_THEN_PRICE = "quality_then_price"
PRICE_THEN_QUALITY = "price_then_quality"
SOCIAL_VALUE_THEN_PRICE = "social_value_then_price"

# The tie-break rules the portal can apply, by the words published in the tender.
TIE_BREAK_RULES = {
    QUALITY_THEN_PRICE: "If total scores are equal, the bid with the higher quality score ranks "
    "first; if still equal, the lower price.",
    PRICE_THEN_QUALITY: "If total scores are equal, the bid with the lower price ranks first; "
    "if still equal, the higher quality score.",
    SOCIAL_VALUE_THEN_PRICE: "If total scores are equal, the bid with the higher social value "
    "score ranks first; if still equal, the lower price.",
}


def tie_break_key(rule_text: str) -> str | None:
    """Which known rule the published words are, or None for a rule the portal cannot apply."""
    wanted = " ".join(rule_text.split()).casefold()
    for key, text in TIE_BREAK_RULES.items():
        if " ".join(text.split()).casefold() == wanted:
            return key
    return None


def price_fraction(*, formula: str, price: Decimal, lowest: Decimal,
                   budget: Decimal | None = None) -> Decimal:
    """The share (0 to 1) of the price criterion's weight a bid at ``price`` earns."""
    if price < ZERO:
        raise ValueError("A price cannot be negative.")
    if formula == LOWEST_RATIO:
        if price == ZERO:
            return ONE
        return min(ONE, lowest / price)
    if formula == LINEAR_BUDGET:
        if not budget or budget <= ZERO:
            raise ValueError("The linear formula needs a budget above £0.")
        return max(ZERO, (budget - price) / budget)
    raise ValueError(f"Unknown price formula {formula!r}.")


def price_score(*, formula: str, price: Decimal, prices: Sequence[Decimal], max_score: int,
                budget: Decimal | None = None) -> Decimal:
    """The price score on the criterion's scale (e.g. lowest ÷ price × 100)."""
    fraction = price_fraction(formula=formula, price=price, lowest=min(prices), budget=budget)
    return (fraction * max_score).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def criterion_points(*, weight: Decimal, score: Decimal | int, max_score: int) -> Decimal:
    """The weighted points a score earns: weight × score ÷ maximum."""
    if max_score <= 0:
        raise ValueError("A scale needs a maximum above 0.")
    if not ZERO <= Decimal(score) <= max_score:
        raise ValueError(f"A score must be between 0 and {max_score}.")
    return Decimal(weight) * Decimal(score) / Decimal(max_score)


@dataclass(frozen=True)
class CriterionResult:
    """One bid's moderated result against one scored criterion."""

    criterion_id: int
    kind: str  # "quality", "social_value", "pass_fail" or "price"
    weight: Decimal
    max_score: int
    score: Decimal | None = None
    passed: bool | None = None


@dataclass(frozen=True)
class BidResult:
    bid_id: int
    price: Decimal | None
    results: tuple[CriterionResult, ...]
    total: Decimal = ZERO
    quality_points: Decimal = ZERO
    social_value_points: Decimal = ZERO
    price_points: Decimal = ZERO
    excluded_reason: str = ""
    position: int | None = None
    tied_with: tuple[int, ...] = field(default=())


def bid_result(*, bid_id: int, price: Decimal | None, results: Iterable[CriterionResult],
               failed_names: Sequence[str] = ()) -> BidResult:
    """Sum the weighted points of one bid (price results must already carry their score)."""
    results = tuple(results)
    sums = {"quality": ZERO, "social_value": ZERO, "price": ZERO}
    for result in results:
        if result.kind == "pass_fail" or result.score is None:
            continue
        points = criterion_points(weight=result.weight, score=result.score,
                                  max_score=result.max_score)
        sums[result.kind] += points
    excluded = ""
    if failed_names:
        excluded = "Failed the pass or fail criterion: " + ", ".join(failed_names) + "."
    total = (sums["quality"] + sums["social_value"] + sums["price"]).quantize(POINTS)
    return BidResult(bid_id=bid_id, price=price, results=results, total=total,
                     quality_points=sums["quality"].quantize(POINTS),
                     social_value_points=sums["social_value"].quantize(POINTS),
                     price_points=sums["price"].quantize(POINTS), excluded_reason=excluded)


def _sort_key(result: BidResult, rule: str | None) -> tuple:
    price = result.price if result.price is not None else Decimal("Infinity")
    if rule == QUALITY_THEN_PRICE:
        return (-result.total, -result.quality_points, price)
    if rule == PRICE_THEN_QUALITY:
        return (-result.total, price, -result.quality_points)
    if rule == SOCIAL_VALUE_THEN_PRICE:
        return (-result.total, -result.social_value_points, price)
    return (-result.total,)


def rank(results: Iterable[BidResult], *, rule_text: str) -> list[BidResult]:
    """Rank eligible bids by total, breaking ties by the published rule.

    Bids excluded (a failed pass or fail criterion) come last without a position. Bids still
    equal after the rule share a position and list each other in ``tied_with``: the portal never
    breaks a tie by something that was not published (such as who bid first).
    """
    rule = tie_break_key(rule_text)
    results = list(results)
    eligible = sorted((r for r in results if not r.excluded_reason),
                      key=lambda r: (_sort_key(r, rule), r.bid_id))
    excluded = [r for r in results if r.excluded_reason]
    ranked: list[BidResult] = []
    for index, result in enumerate(eligible):
        key = _sort_key(result, rule)
        equal = tuple(o.bid_id for o in eligible if o is not result and _sort_key(o, rule) == key)
        first = next(i for i, o in enumerate(eligible) if _sort_key(o, rule) == key)
        ranked.append(replace(result, position=first + 1 if equal else index + 1,
                              tied_with=equal))
    return ranked + sorted(excluded, key=lambda r: r.bid_id)

