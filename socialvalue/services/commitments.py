"""Bid commitments: checked while a bidder drafts, recorded only when the bid is opened.

Nothing a bidder types is stored here before opening: ``commitments_check`` and
``commitments_monetise`` are pure reads that the bids app calls on each draft save.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record
from core.money import to_money
from organisations.models import Organisation
from socialvalue.counting import ERROR, Issue, check_entries, monetise_entry, to_bool
from socialvalue.models import Commitment, CommitmentSet, PlanMeasure, SocialValuePlan
from socialvalue.monetisation import Monetised

Entry = Mapping[str, Any]


def _plan_measures(plan: SocialValuePlan) -> list[PlanMeasure]:
    return list(PlanMeasure.objects.filter(plan=plan).select_related("measure", "proxy_value"))


def commitments_check(
    *, plan: SocialValuePlan, entries: list[Entry], contract_value: Decimal | None
) -> list[Issue]:
    """Every counting-rule issue of a bid's draft commitments (errors and warnings)."""
    issues, _ = check_entries(plan_measures=_plan_measures(plan), entries=entries,
                              contract_value=contract_value)
    return issues


def commitments_monetise(*, plan: SocialValuePlan, entries: list[Entry]) -> dict[int, Monetised]:
    """The monetised indicator of each readable entry, by plan_measure_id (for information)."""
    _, cleaned = check_entries(plan_measures=_plan_measures(plan), entries=entries,
                               contract_value=None)
    return {c.plan_measure.pk: monetise_entry(c) for c in cleaned if c.quantity is not None}


@transaction.atomic
def commitments_record(
    *, plan: SocialValuePlan, supplier: Organisation, entries: list[Entry],
    contract_value: Decimal, actor: Any = None,
) -> CommitmentSet:
    """Store a supplier's commitments as opened, each with its indicator, formula and flags.

    Called by commissioning when a sealed bid is opened. Entries the counting rules reject are
    still recorded, flagged as errors, so evaluators see exactly what was offered; they never
    become delivery targets. An entry that cannot be read at all (no valid measure or
    quantity) is refused.
    """
    issues, cleaned = check_entries(plan_measures=_plan_measures(plan), entries=entries,
                                    contract_value=contract_value)
    unreadable = [i for i in issues if i.field == "plan_measure_id"]
    unreadable += [i for c in cleaned if c.quantity is None
                   for i in issues if i.plan_measure_id == c.plan_measure.pk
                   and i.field == "quantity" and i.severity == ERROR]
    if unreadable:
        raise ValidationError([i.message for i in unreadable])
    commitment_set = CommitmentSet.objects.create(
        plan=plan, supplier=supplier, contract_value=to_money(contract_value))
    rows = [_commitment(commitment_set, clean, issues) for clean in cleaned]
    Commitment.objects.bulk_create(rows)
    set_flags = [i.as_flag() for i in issues if i.plan_measure_id is None]
    audit_record(actor=actor, action="socialvalue.commitments_recorded", obj=commitment_set,
                 organisation_id=supplier.pk, summary=f"Recorded {len(rows)} commitments",
                 changes={"commitments": len(rows), "flags": set_flags})
    return commitment_set


def _commitment(commitment_set, clean, issues) -> Commitment:
    raw = clean.raw
    money = monetise_entry(clean)
    flags = [i.as_flag() for i in issues if i.plan_measure_id == clean.plan_measure.pk]
    return Commitment(
        commitment_set=commitment_set, plan_measure=clean.plan_measure, quantity=clean.quantity,
        delivery_plan=str(raw.get("delivery_plan") or "").strip(),
        owner_name=str(raw.get("owner_name") or "").strip()[:150],
        milestones=str(raw.get("milestones") or "").strip(),
        method_statement=str(raw.get("method_statement") or "").strip(),
        is_local=to_bool(raw.get("is_local", True)),
        is_core_deliverable=to_bool(raw.get("is_core_deliverable", False)),
        deadweight=clean.deadweight, attribution=clean.attribution,
        monetised_value=money.value, formula=money.formula, flags=flags,
    )


def commitment_has_error(commitment: Commitment) -> bool:
    return any(flag.get("severity") == ERROR for flag in commitment.flags)
