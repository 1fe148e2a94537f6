"""Reads about social value, scoped to what the asking user may see."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from organisations.models import AUTHORITY_ROLES, Organisation
from organisations.selectors import organisation_ids_with_role
from socialvalue import performance
from socialvalue.counting import ERROR
from socialvalue.models import (
    Commitment,
    CommitmentSet,
    DeliveryLedger,
    DeliveryReport,
    DeliveryTarget,
    Framework,
    Measure,
    PlanMeasure,
    ProxyValue,
    SocialValuePlan,
)
from socialvalue.monetisation import monetise
from socialvalue.rules import REVIEWERS, SUPPLIER_ROLES


def _get(queryset, user, pk: int, perm: str):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404("Not found.")
    if not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


# -- catalogue -------------------------------------------------------------------------------


def frameworks_for(*, authority: Organisation | None) -> QuerySet[Framework]:
    """National frameworks and, for an authority, its own."""
    scope = Q(authority__isnull=True) | Q(authority=authority) if authority else Q()
    return Framework.objects.filter(scope).select_related("authority")


def catalogue_measures(*, authority: Organisation | None) -> QuerySet[Measure]:
    """Measures an authority may choose, each with its latest proxy value (one query)."""
    latest = ProxyValue.objects.filter(measure=OuterRef("pk")).order_by("-version")
    scope = (Q(outcome__theme__framework__authority__isnull=True)
             | Q(outcome__theme__framework__authority=authority))
    return (Measure.objects.filter(scope)
            .select_related("outcome__theme__framework")
            .annotate(latest_proxy=Subquery(latest.values("value")[:1]),
                      latest_proxy_version=Subquery(latest.values("version")[:1]))
            .order_by("outcome__theme__framework__name", "outcome__theme__code",
                      "outcome__code", "code"))


def framework_get_for_user(*, user, pk: int) -> Framework:
    framework = Framework.objects.filter(pk=pk).select_related("authority").first()
    if framework is None:
        raise Http404("No such framework.")
    if framework.authority_id and not (
            user.is_platform_admin or user.has_perm("socialvalue.view_catalogue",
                                                    framework.authority)):
        raise PermissionDenied
    return framework


def framework_measures(*, framework: Framework) -> QuerySet[Measure]:
    return (Measure.objects.filter(outcome__theme__framework=framework)
            .select_related("outcome__theme")
            .prefetch_related(Prefetch("proxy_values",
                                       queryset=ProxyValue.objects.order_by("-version")))
            .order_by("outcome__theme__code", "outcome__code", "code"))


# -- plans -----------------------------------------------------------------------------------


def plans_for_user(*, user) -> QuerySet[SocialValuePlan]:
    plans = SocialValuePlan.objects.select_related("authority").order_by("-created_at", "-pk")
    if user.is_platform_admin:
        return plans
    staff_of = organisation_ids_with_role(user=user, roles=AUTHORITY_ROLES)
    return plans.filter(authority_id__in=staff_of)


def plan_get_for_user(*, user, pk: int, perm: str = "socialvalue.view_plan") -> SocialValuePlan:
    """Fetch a plan and check ``perm`` on it: 404 when unknown, 403 when not allowed."""
    return _get(SocialValuePlan.objects.select_related("authority"), user, pk, perm)


def plan_measures_of(*, plan: SocialValuePlan) -> QuerySet[PlanMeasure]:
    """The chosen measures with their outcome, theme and pinned proxy (for bid forms too)."""
    return PlanMeasure.objects.filter(plan=plan).select_related(
        "measure__outcome__theme__framework", "proxy_value")


MODEL_QUESTION = (
    "Describe the commitment your organisation will make to ensure that opportunities under "
    "the contract deliver {outcomes}.\n\n"
    "Please include:\n"
    "- your method statement, stating how you will achieve this and how your commitment "
    "meets the award criteria\n"
    "- a timed project plan and process, including how you will implement your commitment "
    "and by when\n"
    "- how you will monitor, measure and report on your commitments and the impact of your "
    "proposals."
)


def plan_model_question(*, plan: SocialValuePlan) -> str:
    """The Social Value Model's evaluation question, naming the outcomes of the plan's measures.

    The starting text of the plan's question, for the buyer to tailor (PPN 06/20 and its
    successors give this model question; the wording is Crown copyright under the OGL).
    """
    outcomes = list(dict.fromkeys(
        plan.measures.order_by("id").values_list("measure__outcome__name", flat=True)))
    if not outcomes:
        named = "the social value outcomes chosen for this contract"
    elif len(outcomes) == 1:
        named = f"this outcome: {outcomes[0]}"
    else:
        named = "these outcomes: " + "; ".join(outcomes)
    return MODEL_QUESTION.format(outcomes=named)


def plan_measure_get_for_user(*, user, plan: SocialValuePlan, pk: int) -> PlanMeasure:
    plan_measure = plan_measures_of(plan=plan).filter(pk=pk).first()
    if plan_measure is None:
        raise Http404("No such measure in this plan.")
    return plan_measure


# -- commitments -----------------------------------------------------------------------------


def commitment_summary(commitment_set: CommitmentSet) -> dict:
    """What evaluators see: each commitment with its indicator, formula, inputs and flags.

    The monetised indicator is information for evaluators, never the social value score.
    """
    commitments = Commitment.objects.filter(commitment_set=commitment_set).select_related(
        "plan_measure__measure", "plan_measure__proxy_value")
    rows, total = [], Decimal("0")
    for c in commitments:
        measure, proxy = c.plan_measure.measure, c.plan_measure.proxy_value
        money = monetise(quantity=c.quantity, proxy=proxy.value if proxy else None,
                         deadweight=c.deadweight, attribution=c.attribution)
        total += c.monetised_value or 0
        rows.append({
            "commitment_id": c.pk, "plan_measure_id": c.plan_measure_id,
            "measure": measure.name, "measure_code": measure.code, "quantity": c.quantity,
            "unit": measure.get_unit_display(), "owner_name": c.owner_name,
            "delivery_plan": c.delivery_plan, "milestones": c.milestones,
            "method_statement": c.method_statement, "monetised_value": c.monetised_value,
            "formula": c.formula, "inputs": money.inputs,
            "proxy_version": proxy.version if proxy else None,
            "proxy_source": proxy.source if proxy else "", "flags": c.flags,
            "has_errors": any(f.get("severity") == ERROR for f in c.flags),
        })
    contract_value = commitment_set.contract_value
    flags = []
    if contract_value and total > contract_value:
        flags.append({"field": "quantity", "severity": "warning", "message":
                      "The monetised indicator is more than the contract value"})
    return {"commitments": rows, "total_monetised": total, "contract_value": contract_value,
            "flags": flags, "is_score": False}


# -- delivery --------------------------------------------------------------------------------


def ledgers_for_user(*, user) -> QuerySet[DeliveryLedger]:
    """Ledgers of the user's authorities (as reviewers) and suppliers; all for platform admins."""
    ledgers = DeliveryLedger.objects.select_related("authority", "supplier").order_by(
        "-created_at", "-pk")
    if user.is_platform_admin:
        return ledgers
    # From the cached role lookup: no query, and none at all for a user with neither role.
    reviewer_of = organisation_ids_with_role(user=user, roles=REVIEWERS)
    supplier_of = organisation_ids_with_role(user=user, roles=SUPPLIER_ROLES)
    return ledgers.filter(Q(authority_id__in=reviewer_of) | Q(supplier_id__in=supplier_of))


def ledger_get_for_user(*, user, pk: int, perm: str = "socialvalue.view_ledger"):
    return _get(DeliveryLedger.objects.select_related("authority", "supplier"), user, pk, perm)


def target_get_for_user(*, user, pk: int) -> DeliveryTarget:
    target = DeliveryTarget.objects.select_related(
        "ledger__supplier", "ledger__authority", "commitment__plan_measure__measure").filter(
        pk=pk).first()
    if target is None:
        raise Http404("No such target.")
    if not user.has_perm("socialvalue.report_delivery", target.ledger):
        raise PermissionDenied
    return target


def report_get_for_user(*, user, pk: int, perm: str = "socialvalue.view_ledger"):
    report = DeliveryReport.objects.select_related(
        "target__ledger__supplier", "target__ledger__authority", "evidence", "submitted_by",
        "reviewed_by", "target__commitment__plan_measure__measure").filter(pk=pk).first()
    if report is None:
        raise Http404("No such report.")
    if not user.has_perm(perm, report.target.ledger):
        raise PermissionDenied
    return report


def reports_awaiting_review(*, user) -> QuerySet[DeliveryReport]:
    reviewer_of = organisation_ids_with_role(user=user, roles=REVIEWERS)
    return DeliveryReport.objects.filter(
        status=DeliveryReport.Status.SUBMITTED,
        target__ledger__authority_id__in=reviewer_of).select_related(
        "target__ledger__supplier", "target__commitment__plan_measure__measure")


def targets_to_report(*, user, today: datetime.date | None = None) -> QuerySet[DeliveryTarget]:
    """Ended periods of the user's suppliers with no report awaiting review or accepted."""
    today = today or timezone.localdate()
    reported = DeliveryReport.objects.filter(
        status__in=[DeliveryReport.Status.SUBMITTED, DeliveryReport.Status.ACCEPTED]
    ).values("target_id")
    supplier_of = organisation_ids_with_role(user=user, roles=SUPPLIER_ROLES)
    return DeliveryTarget.objects.filter(
        ledger__supplier_id__in=supplier_of, period_end__lt=today
    ).exclude(pk__in=reported)


def ledger_summary(*, ledger: DeliveryLedger, today: datetime.date | None = None) -> dict:
    """Committed against delivered per commitment and period, with RAG and the rating."""
    today = today or timezone.localdate()
    targets = list(
        DeliveryTarget.objects.filter(ledger=ledger)
        .select_related("commitment__plan_measure__measure")
        .annotate(delivered=performance.accepted_sum())
        .prefetch_related(Prefetch("reports", queryset=DeliveryReport.objects.select_related(
            "evidence").order_by("-created_at", "-pk")))
        .order_by("commitment_id", "period_start"))
    by_commitment: dict[int, list] = defaultdict(list)
    for target in targets:
        has_accepted = target.delivered is not None
        target.delivered = target.delivered or Decimal("0")
        target.latest_report = next(iter(target.reports.all()), None)
        due = target.period_end < today or has_accepted
        target.percent = performance.percent(target.delivered, target.target) if due else None
        target.rag = performance.rag(target.percent, ledger.tolerance)
        by_commitment[target.commitment_id].append(target)
    commitments = [_commitment_row(rows, ledger) for rows in by_commitment.values()]
    value = performance.overall(c["percent"] for c in commitments if c["percent"] is not None)
    untracked = Commitment.objects.filter(commitment_set_id=ledger.commitment_set_id).exclude(
        pk__in=by_commitment.keys()).select_related("plan_measure__measure")
    return {"commitments": commitments, "percent": value,
            "rag": performance.rag(value, ledger.tolerance),
            "rating": performance.rating(value, ledger.tolerance), "untracked": list(untracked)}


def _commitment_row(targets: list, ledger: DeliveryLedger) -> dict:
    due = [t for t in targets if t.percent is not None]
    due_target = sum((t.target for t in due), Decimal("0"))
    delivered = sum((t.delivered for t in targets), Decimal("0"))
    value = performance.percent(sum((t.delivered for t in due), Decimal("0")), due_target) \
        if due else None
    commitment = targets[0].commitment
    return {"commitment": commitment, "measure": commitment.plan_measure.measure,
            "targets": targets, "committed": commitment.quantity, "due": due_target,
            "delivered": delivered, "percent": value,
            "rag": performance.rag(value, ledger.tolerance)}
