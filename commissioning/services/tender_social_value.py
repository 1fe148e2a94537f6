"""Designing social value into a tender: the tender's plan and its checks before publication."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from commissioning.models import AwardCriterion, Tender
from commissioning.services.criteria import min_social_value_weight
from core.audit import audit_record
from socialvalue.models import SocialValuePlan
from socialvalue.services import plan_create, plan_problems


@transaction.atomic
def tender_social_value_plan_attach(*, actor, tender: Tender) -> SocialValuePlan:
    """Give a draft tender its social value plan (or return the one it has)."""
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if not actor.has_perm("commissioning.manage_tender", tender):
        raise PermissionDenied("You cannot manage this tender.")
    if tender.social_value_plan_id:
        return tender.social_value_plan
    if tender.status != Tender.Status.DRAFT:
        raise ValidationError("Social value can only be designed while the tender is a draft.")
    plan = plan_create(actor=actor, authority=tender.authority)
    criterion = _criterion(tender)
    if criterion is not None:
        plan.weight = criterion.weight
        plan.save(update_fields=["weight", "updated_at"])
    tender.social_value_plan = plan
    tender.save(update_fields=["social_value_plan", "updated_at"])
    audit_record(actor=actor, action="tender.social_value_plan_attached", obj=tender,
                 organisation_id=tender.authority_id,
                 summary="Started designing social value into the tender",
                 changes={"plan": plan.pk})
    return plan


def social_value_review(tender: Tender) -> tuple[list[str], list[str]]:
    """(problems, warnings) about the tender's social value design before publication."""
    plan = tender.social_value_plan
    if plan is None:
        return [], ["No social value measures are chosen: bidders will describe social value "
                    "in words only, with no commitments to track during the contract."]
    problems = plan_problems(plan=plan, min_weight=min_social_value_weight(tender.authority))
    criterion = _criterion(tender)
    if criterion is not None and criterion.weight != plan.weight:
        problems.append(f"The social value criterion weighs {criterion.weight.normalize():f}% "
                        f"but the social value design says {plan.weight.normalize():f}%: "
                        "make them the same.")
    return problems, []


def _criterion(tender: Tender) -> AwardCriterion | None:
    return tender.criteria.filter(kind=AwardCriterion.Kind.SOCIAL_VALUE,
                                  parent__isnull=True).first()
