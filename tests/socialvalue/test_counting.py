"""Counting rules, one test each, and the monetised indicator's formula."""

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from socialvalue import services
from socialvalue.monetisation import monetise
from tests.socialvalue.conftest import entry, pm

pytestmark = pytest.mark.django_db
VALUE = Decimal("500000")


def issues_for(plan, entries, contract_value=VALUE):
    return services.commitments_check(plan=plan, entries=entries, contract_value=contract_value)


def errors(issues):
    return {(i.plan_measure_id, i.field) for i in issues if i.severity == "error"}


def test_a_complete_entry_has_no_errors(plan):
    issues = issues_for(plan, [entry(pm(plan, "L1"))])
    assert not errors(issues)
    # Measures not answered are a warning, not an error.
    assert {i.severity for i in issues} == {"warning"}


@pytest.mark.parametrize("field", ["quantity", "delivery_plan", "owner_name", "milestones",
                                   "method_statement"])
def test_quantitative_and_qualitative_answers_are_required(plan, field):
    chosen = pm(plan, "L1")
    assert (chosen.pk, field) in errors(issues_for(plan, [entry(chosen, **{field: " "})]))


@pytest.mark.parametrize("quantity", ["0", "-3", "ten", "1.234"])
def test_quantity_must_be_a_positive_number_with_pence_precision(plan, quantity):
    chosen = pm(plan, "L1")
    assert (chosen.pk, "quantity") in errors(issues_for(plan, [entry(chosen, quantity=quantity)]))


def test_fte_years_must_be_fte_times_years(plan):
    chosen = pm(plan, "L1")
    bad = issues_for(plan, [entry(chosen, quantity="20", fte="12.5", years="2")])
    assert any("12.5 × 2 = 25" in i.message for i in bad)
    assert not errors(issues_for(plan, [entry(chosen, quantity="25", fte="12.5", years="2")]))


def test_tiny_fte_years_are_flagged_as_implausible(plan):
    issues = issues_for(plan, [entry(pm(plan, "L1"), quantity="0.05")])
    assert any(i.severity == "warning" and "0.1 FTE-year" in i.message for i in issues)


def test_disadvantaged_hires_count_in_their_first_year_only(plan):
    chosen = pm(plan, "L2")
    assert (chosen.pk, "years") in errors(issues_for(plan, [entry(chosen, years="3")]))
    assert not errors(issues_for(plan, [entry(chosen, quantity="2", fte="2", years="1")]))


def test_local_only_measures_must_be_delivered_locally(plan):
    chosen = pm(plan, "L1")
    assert (chosen.pk, "is_local") in errors(issues_for(plan, [entry(chosen, is_local=False)]))
    # L2 is not local-only: delivery elsewhere is fine.
    assert not errors(issues_for(plan, [entry(pm(plan, "L2"), is_local="false")]))


def test_core_deliverables_cannot_be_claimed(plan):
    issues = issues_for(plan, [entry(pm(plan, "L1"), is_core_deliverable="yes")])
    assert any(i.message == "Core deliverables of the contract cannot be claimed as social value"
               for i in issues)


def test_mutually_exclusive_measures_cannot_both_be_claimed(plan):
    sme, any_size = pm(plan, "L3"), pm(plan, "L4")
    issues = issues_for(plan, [entry(sme, quantity="1000"), entry(any_size, quantity="500")])
    assert {(sme.pk, "quantity"), (any_size.pk, "quantity")} <= errors(issues)
    assert not errors(issues_for(plan, [entry(sme, quantity="1000")]))


def test_entries_for_measures_outside_the_plan_or_twice_are_errors(plan):
    chosen = pm(plan, "L1")
    issues = issues_for(plan, [entry(chosen), entry(chosen), {"plan_measure_id": 999999}])
    assert (chosen.pk, "plan_measure_id") in errors(issues)
    assert (999999, "plan_measure_id") in errors(issues)


def test_deadweight_and_attribution_are_percentages(plan):
    chosen = pm(plan, "L1")
    issues = issues_for(plan, [entry(chosen, deadweight="120", attribution="-1")])
    assert {(chosen.pk, "deadweight"), (chosen.pk, "attribution")} <= errors(issues)


def test_whole_fee_and_implausible_totals_are_warnings_for_evaluators(plan):
    issues = issues_for(plan, [entry(pm(plan, "L3"), quantity="500000"),
                               entry(pm(plan, "L1"), quantity="600")])
    warnings = [i.message for i in issues if i.severity == "warning"]
    assert any("whole contract value" in m for m in warnings)
    assert any("more than the contract value" in m for m in warnings)


def test_the_formula_is_quantity_times_proxy_less_deadweight_times_attribution():
    result = monetise(quantity=Decimal("12"), proxy=Decimal("1000"), deadweight=Decimal("10"),
                      attribution=Decimal("50"))
    assert result.value == Decimal("5400.00")
    assert result.formula == "12.00 × £1,000.00 × (1 − 10%) × 50% = £5,400.00"
    assert result.inputs == {"quantity": "12.00", "proxy": "£1,000.00", "deadweight": "10%",
                             "attribution": "50%"}


def test_without_a_proxy_nothing_is_monetised():
    result = monetise(quantity=Decimal("3"), proxy=None)
    assert result.value is None and "no proxy value" in result.formula


def test_a_small_monetised_value_against_the_contract_is_never_an_error(plan):
    """The 10% is an evaluation weight, not a share of the contract value."""
    plan.weight = Decimal("10")
    # 5 FTE-years at £1,000 = £5,000: 1% of a £500,000 contract.
    issues = issues_for(plan, [entry(pm(plan, "L1"), quantity="5")])
    assert not errors(issues)
    assert not any("%" in i.message for i in issues)


def test_no_code_treats_social_value_as_a_share_of_contract_value():
    root = Path(__file__).resolve().parents[2] / "socialvalue"
    found = subprocess.run(  # noqa: S603
        ["grep", "-rniE", r"contract_value \* .*(weight|0\.1)|10% of (the )?contract value",
         str(root), "--include=*.py", "--include=*.html"],
        capture_output=True, text=True, check=False)
    assert found.stdout == ""
