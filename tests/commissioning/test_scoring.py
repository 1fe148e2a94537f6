"""The scoring arithmetic: price formulas, weighted totals, ranking and the published tie-break."""

import datetime
from decimal import Decimal

import pytest

from commissioning import scoring
from commissioning.scoring import CriterionResult, bid_result, rank
from commissioning.services.awards import standstill_end

D = Decimal


def test_lowest_price_scores_full_marks_and_others_in_proportion():
    prices = [D("80000"), D("100000"), D("160000")]
    scores = [scoring.price_score(formula="lowest_ratio", price=p, prices=prices, max_score=100)
              for p in prices]
    assert scores == [D("100.00"), D("80.00"), D("50.00")]


def test_linear_budget_formula_scores_from_the_budget_down_to_zero():
    budget = D("200000")
    assert scoring.price_fraction(formula="linear_budget", price=D("150000"), lowest=D("1"),
                                  budget=budget) == D("0.25")
    assert scoring.price_fraction(formula="linear_budget", price=D("250000"), lowest=D("1"),
                                  budget=budget) == 0


def test_unknown_formula_and_negative_prices_are_refused():
    with pytest.raises(ValueError):
        scoring.price_fraction(formula="cheapest_wins", price=D("1"), lowest=D("1"))
    with pytest.raises(ValueError):
        scoring.price_fraction(formula="lowest_ratio", price=D("-1"), lowest=D("1"))


def test_a_score_outside_the_scale_is_refused():
    with pytest.raises(ValueError):
        scoring.criterion_points(weight=D("60"), score=101, max_score=100)


def _result(bid_id, quality, social, price_score, price, *, failed=()):
    return bid_result(bid_id=bid_id, price=D(price), failed_names=failed, results=[
        CriterionResult(1, "quality", D("60"), 100, D(quality)),
        CriterionResult(2, "social_value", D("10"), 5, D(social)),
        CriterionResult(3, "price", D("30"), 100, D(price_score)),
        CriterionResult(4, "pass_fail", D("0"), 1, None, passed=not failed),
    ])


def test_weighted_total_is_the_sum_of_weight_times_score_over_maximum():
    result = _result(1, quality="80", social="4", price_score="50", price="100")
    # 60 × 80/100 + 10 × 4/5 + 30 × 50/100
    assert result.total == D("48") + D("8") + D("15")
    assert result.quality_points == D("48")
    assert result.social_value_points == D("8")


def test_a_failed_pass_or_fail_criterion_excludes_the_bid_whatever_its_score():
    best = _result(1, "100", "5", "100", "100", failed=["Safeguarding"])
    other = _result(2, "20", "1", "10", "900")
    ranked = rank([best, other], rule_text=scoring.TIE_BREAK_RULES["quality_then_price"])
    assert [r.bid_id for r in ranked] == [2, 1]
    assert ranked[0].position == 1
    assert ranked[1].position is None
    assert "Safeguarding" in ranked[1].excluded_reason


def test_ties_are_broken_by_the_published_rule():
    # Both total 70: bid 1 has more quality points, bid 2 the lower price.
    bid1 = bid_result(bid_id=1, price=D("300"), results=[
        CriterionResult(1, "quality", D("60"), 100, D("100")),
        CriterionResult(3, "price", D("40"), 100, D("25")),
    ])
    bid2 = bid_result(bid_id=2, price=D("100"), results=[
        CriterionResult(1, "quality", D("60"), 100, D("50")),
        CriterionResult(3, "price", D("40"), 100, D("100")),
    ])
    assert bid1.total == bid2.total == D("70")
    quality_first = rank([bid2, bid1], rule_text=scoring.TIE_BREAK_RULES["quality_then_price"])
    assert [(r.bid_id, r.position) for r in quality_first] == [(1, 1), (2, 2)]
    price_first = rank([bid1, bid2], rule_text=scoring.TIE_BREAK_RULES["price_then_quality"])
    assert [(r.bid_id, r.position) for r in price_first] == [(2, 1), (1, 2)]


def test_a_tie_the_rule_cannot_break_is_reported_never_broken_by_bid_order():
    first = _result(1, "80", "4", "50", "100")
    second = _result(2, "80", "4", "50", "100")
    ranked = rank([first, second], rule_text=scoring.TIE_BREAK_RULES["quality_then_price"])
    assert [r.position for r in ranked] == [1, 1]
    assert ranked[0].tied_with == (2,)


def test_a_rule_the_portal_does_not_know_leaves_equal_totals_tied():
    cheaper = _result(1, "80", "4", "50", "100")
    dearer = _result(2, "80", "4", "50", "900")
    assert scoring.tie_break_key("Toss a coin.") is None
    ranked = rank([cheaper, dearer], rule_text="Toss a coin.")
    assert [r.position for r in ranked] == [1, 1]


def test_the_known_rules_are_recognised_whatever_the_spacing():
    text = scoring.TIE_BREAK_RULES["price_then_quality"].replace(" ", "  ")
    assert scoring.tie_break_key(text.upper()) == "price_then_quality"


@pytest.mark.parametrize(("notice_day", "ends"), [
    # A Monday notice: 8 working days Mon..Wed of the next week.
    (datetime.date(2026, 3, 2), datetime.date(2026, 3, 11)),
    # Published on a Saturday: the count starts on Monday.
    (datetime.date(2026, 3, 7), datetime.date(2026, 3, 18)),
    # Christmas 2026: Fri 25 Dec, Boxing Day on Saturday -> Mon 28 Dec substitute, 1 Jan.
    (datetime.date(2026, 12, 22), datetime.date(2027, 1, 5)),
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    (datetime.date(2027, 3, 24), datetime.date(2027, 4, 6)),
    # Christmas Eve 2024 (the Muckle LLP example): ends 14 calendar days later.
    (datetime.date(2024, 12, 24), datetime.date(2025, 1, 7)),
])
def test_standstill_is_eight_working_days_beginning_with_the_notice_day(notice_day, ends):
    assert standstill_end(notice_day) == ends
