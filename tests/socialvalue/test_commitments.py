"""Recording commitments at opening, and what evaluators see (the scoring boundary)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from socialvalue import selectors, services
from socialvalue.models import Commitment, CommitmentSet
from tests.socialvalue.conftest import entry, pm

pytestmark = pytest.mark.django_db


def test_checking_drafts_stores_nothing(plan):
    services.commitments_check(plan=plan, entries=[entry(pm(plan, "L1"))],
                               contract_value=Decimal("1"))
    services.commitments_monetise(plan=plan, entries=[entry(pm(plan, "L1"))])
    assert not CommitmentSet.objects.exists() and not Commitment.objects.exists()


def test_commitments_are_recorded_with_indicator_formula_and_flags(plan, provider):
    recorded = services.commitments_record(
        plan=plan, supplier=provider, contract_value=Decimal("200000"),
        entries=[entry(pm(plan, "L1"), quantity="12", deadweight="10"),
                 entry(pm(plan, "L3"), quantity="5000", is_core_deliverable=True)])
    jobs, spend = recorded.commitments.order_by("plan_measure__measure__code")
    assert jobs.monetised_value == Decimal("10800.00")
    assert jobs.formula == "12.00 × £1,000.00 × (1 − 10%) × 100% = £10,800.00"
    assert jobs.flags == []
    assert spend.flags[0]["severity"] == "error"
    assert AuditEntry.objects.filter(action="socialvalue.commitments_recorded").exists()


def test_unreadable_entries_are_refused(plan, provider):
    with pytest.raises(ValidationError):
        services.commitments_record(plan=plan, supplier=provider, contract_value=Decimal("1"),
                                    entries=[entry(pm(plan, "L1"), quantity="lots")])
    assert not CommitmentSet.objects.exists()


def test_the_summary_shows_each_commitment_and_is_never_the_score(plan, provider):
    recorded = services.commitments_record(
        plan=plan, supplier=provider, contract_value=Decimal("10000"),
        entries=[entry(pm(plan, "L1"), quantity="20")])
    summary = selectors.commitment_summary(recorded)
    assert summary["is_score"] is False
    assert summary["total_monetised"] == Decimal("20000.00")
    assert summary["flags"][0]["message"].startswith("The monetised indicator is more")
    row = summary["commitments"][0]
    assert row["measure"] == "Local FTE jobs" and row["unit"] == "FTE-years"
    assert row["inputs"]["proxy"] == "£1,000.00" and row["proxy_version"] == 1
    assert row["owner_name"] == "Asha Khan" and not row["has_errors"]


def test_bids_opened_lock_the_plan(plan, provider, commissioner, local_measures):
    services.commitments_record(plan=plan, supplier=provider, contract_value=Decimal("1000"),
                                entries=[entry(pm(plan, "L1"))])
    with pytest.raises(ValidationError, match="Bids have been opened"):
        services.plan_update(actor=commissioner, plan=plan, weight=Decimal("20"),
                             question="Changed")
