"""Social value writes (and the pure checks the bids app runs on drafts).

Public API for commissioning (and grants later)::

    plan_create(*, actor, authority) -> SocialValuePlan
    plan_problems(*, plan, min_weight=None) -> list[str]
    commitments_check(*, plan, entries, contract_value) -> list[Issue]
    commitments_monetise(*, plan, entries) -> dict[int, Monetised]
    commitments_record(*, plan, supplier, entries, contract_value, actor=None) -> CommitmentSet
    ledger_create(*, commitment_set, authority, starts_on, ends_on, actor,
                  frequency="quarterly", tolerance=Decimal("10"), periods=None) -> DeliveryLedger
"""

from socialvalue.counting import Issue
from socialvalue.services.catalogue import ImportReport, catalogue_import, load_social_value_model
from socialvalue.services.commitments import (
    commitments_check,
    commitments_monetise,
    commitments_record,
)
from socialvalue.services.delivery import (
    delivery_report_review,
    delivery_report_submit,
    ledger_create,
)
from socialvalue.services.plans import (
    plan_create,
    plan_lock_reason,
    plan_measure_add,
    plan_measure_remove,
    plan_measure_update,
    plan_problems,
    plan_update,
)

__all__ = [
    "ImportReport", "Issue", "catalogue_import", "commitments_check", "commitments_monetise",
    "commitments_record", "delivery_report_review", "delivery_report_submit", "ledger_create",
    "load_social_value_model", "plan_create", "plan_lock_reason", "plan_measure_add",
    "plan_measure_remove", "plan_measure_update", "plan_problems", "plan_update",
]
