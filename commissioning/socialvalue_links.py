"""What socialvalue needs to know about tenders and contracts, registered at start-up.

socialvalue sits below commissioning and never imports it; these functions answer its hooks.
"""

from django.urls import reverse

from commissioning.models import Contract, Tender
from commissioning.services.criteria import min_social_value_weight
from socialvalue import hooks


def _plan_lock(plan) -> str | None:
    tender = Tender.objects.filter(social_value_plan=plan).only("status").first()
    if tender is not None and tender.status != Tender.Status.DRAFT:
        return "The tender is published: its social value design can no longer change."
    return None


def _plan_contexts(plan_ids: list[int]) -> dict[int, hooks.Context]:
    tenders = Tender.objects.filter(social_value_plan_id__in=plan_ids).only(
        "pk", "reference", "title", "social_value_plan_id")
    return {t.social_value_plan_id: hooks.Context(
        f"Tender {t.reference}: {t.title}",
        reverse("commissioning:tender_manage", args=[t.pk])) for t in tenders}


def _ledger_contexts(ledger_ids: list[int]) -> dict[int, hooks.Context]:
    contracts = Contract.objects.filter(social_value_ledger_id__in=ledger_ids).select_related(
        "award__tender")
    return {c.social_value_ledger_id: hooks.Context(
        f"Contract for {c.award.tender.title}",
        reverse("commissioning:contract", args=[c.pk])) for c in contracts}


def register() -> None:
    hooks.register_min_weight(min_social_value_weight)
    hooks.register_plan_lock(_plan_lock)
    hooks.register_plan_context(_plan_contexts)
    hooks.register_ledger_context(_ledger_contexts)
