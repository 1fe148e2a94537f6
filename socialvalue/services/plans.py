"""Designing social value into a procurement: measures, relevance, weight and question."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from core.audit import audit_record
from organisations.models import Organisation
from socialvalue import hooks
from socialvalue.models import Measure, PlanMeasure, SocialValuePlan

HUNDRED = Decimal("100")


def plan_lock_reason(plan: SocialValuePlan) -> str | None:
    """Why the plan can no longer change, or None while it may."""
    if plan.commitment_sets.exists():
        return "Bids have been opened against this plan, so it can no longer change."
    return hooks.plan_lock_reason(plan)


def _ensure_editable(plan: SocialValuePlan) -> None:
    reason = plan_lock_reason(plan)
    if reason:
        raise ValidationError(reason)


def measures_available_to(authority: Organisation):
    """Measures an authority may choose: national frameworks and its own."""
    return Measure.objects.filter(
        Q(outcome__theme__framework__authority__isnull=True)
        | Q(outcome__theme__framework__authority=authority))


@transaction.atomic
def plan_create(*, actor: Any, authority: Organisation) -> SocialValuePlan:
    """An empty plan for one procurement of ``authority`` (weight 10%, up to 6 measures)."""
    if not authority.is_authority:
        raise ValidationError("Only a public authority can design social value into a tender.")
    plan = SocialValuePlan.objects.create(authority=authority, created_by=actor)
    audit_record(actor=actor, action="socialvalue.plan_created", obj=plan,
                 organisation_id=authority.pk, summary="Created a social value plan")
    return plan


@transaction.atomic
def plan_update(
    *, actor: Any, plan: SocialValuePlan, weight: Decimal, question: str,
    min_weight: Decimal | None = None,
) -> SocialValuePlan:
    """Set the evaluation weight (at least the authority's minimum) and the question."""
    _ensure_editable(plan)
    floor = hooks.min_weight_for(plan.authority) if min_weight is None else min_weight
    errors = {}
    if weight < floor or weight > HUNDRED:
        errors["weight"] = (f"Weight must be between {floor.normalize():f}% (your authority's "
                            "minimum) and 100%")
    if not question.strip():
        errors["question"] = "Enter the social value question bidders will answer"
    if errors:
        raise ValidationError(errors)
    before = {"weight": plan.weight, "question": plan.question}
    plan.weight, plan.question = weight, question.strip()
    plan.save(update_fields=["weight", "question", "updated_at"])
    audit_record(actor=actor, action="socialvalue.plan_updated", obj=plan,
                 organisation_id=plan.authority_id, summary="Changed the weight and question",
                 changes={"before": before, "after": {"weight": weight, "question": question}})
    return plan


@transaction.atomic
def plan_measure_add(
    *, actor: Any, plan: SocialValuePlan, measure: Measure, relevance: str
) -> PlanMeasure:
    """Choose a measure, saying why it is relevant; its latest proxy version is pinned."""
    plan = SocialValuePlan.objects.select_for_update().get(pk=plan.pk)
    _ensure_editable(plan)
    if not relevance.strip():
        raise ValidationError({"relevance": "Explain why this measure is relevant to the "
                                            "subject of the contract"})
    if not measures_available_to(plan.authority).filter(pk=measure.pk).exists():
        raise ValidationError({"measure": "Choose a measure from your authority's catalogue"})
    if plan.measures.filter(measure=measure).exists():
        raise ValidationError({"measure": "This measure is already in the plan"})
    if plan.measures.count() >= plan.max_measures:
        raise ValidationError({"measure": f"A plan can have at most {plan.max_measures} "
                                          "measures: remove one before adding another"})
    proxy = measure.proxy_values.order_by("-version").first()
    plan_measure = PlanMeasure.objects.create(
        plan=plan, measure=measure, relevance=relevance.strip(), proxy_value=proxy)
    audit_record(actor=actor, action="socialvalue.plan_measure_added", obj=plan,
                 organisation_id=plan.authority_id, summary=f"Added measure {measure.code}",
                 changes={"measure": measure.code, "proxy_version": proxy.version if proxy
                          else None, "relevance": relevance.strip()})
    return plan_measure


@transaction.atomic
def plan_measure_update(*, actor: Any, plan_measure: PlanMeasure, relevance: str) -> PlanMeasure:
    """Change the relevance justification of a chosen measure."""
    _ensure_editable(plan_measure.plan)
    if not relevance.strip():
        raise ValidationError({"relevance": "Explain why this measure is relevant to the "
                                            "subject of the contract"})
    before = plan_measure.relevance
    plan_measure.relevance = relevance.strip()
    plan_measure.save(update_fields=["relevance"])
    audit_record(actor=actor, action="socialvalue.plan_measure_changed", obj=plan_measure.plan,
                 organisation_id=plan_measure.plan.authority_id,
                 summary=f"Changed the relevance of {plan_measure.measure.code}",
                 changes={"before": before, "after": plan_measure.relevance})
    return plan_measure


@transaction.atomic
def plan_measure_remove(*, actor: Any, plan_measure: PlanMeasure) -> None:
    plan = plan_measure.plan
    _ensure_editable(plan)
    code = plan_measure.measure.code
    plan_measure.delete()
    audit_record(actor=actor, action="socialvalue.plan_measure_removed", obj=plan,
                 organisation_id=plan.authority_id, summary=f"Removed measure {code}")


def plan_problems(*, plan: SocialValuePlan, min_weight: Decimal | None = None) -> list[str]:
    """What stops the plan going out to bidders; empty when it is ready."""
    floor = hooks.min_weight_for(plan.authority) if min_weight is None else min_weight
    chosen = list(plan.measures.select_related("measure"))
    problems = []
    if not chosen:
        problems.append("Choose at least one social value measure")
    if len(chosen) > plan.max_measures:
        problems.append(f"Choose no more than {plan.max_measures} measures")
    problems += [f"Explain why “{pm.measure.name}” is relevant to the contract"
                 for pm in chosen if not pm.relevance.strip()]
    problems += [f"“{pm.measure.name}” says no evidence is required: choose a measure "
                 "that can be evidenced" for pm in chosen if not pm.measure.evidence_required]
    if plan.weight < floor:
        problems.append(f"The social value weight must be at least {floor.normalize():f}%")
    if not plan.question.strip():
        problems.append("Write the social value question bidders will answer")
    return problems
