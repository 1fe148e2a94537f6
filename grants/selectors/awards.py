"""Awards: one grant, a recipient's grants, a manager's grants, payment blocks, transparency."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from grants import govs015
from grants.models import Award, Instalment, MonitoringReport, Programme
from grants.selectors.common import authority_ids, fetch_checked, provider_ids

RELATED = ("round", "programme__authority", "recipient", "application")
PUBLIC_AWARD_STATES = ("live", "closed")


def award_get_for_user(*, user, pk: int, perm: str = "grants.view_award") -> Award:
    queryset = Award.objects.select_related(*RELATED)
    return fetch_checked(queryset, user=user, pk=pk, perm=perm, hide_perm="grants.view_award",
                         label="grant")


def awards_for_recipient(*, user) -> QuerySet[Award]:
    return (Award.objects.filter(recipient_id__in=provider_ids(user=user))
            .select_related(*RELATED).order_by("-awarded_on", "-id"))


def awards_for_manager(*, user) -> QuerySet[Award]:
    return (Award.objects.filter(programme__authority_id__in=authority_ids(user=user))
            .select_related(*RELATED).order_by("-awarded_on", "-id"))


def public_awards() -> QuerySet[Award]:
    """Grants anyone may read: accepted (live) or closed, never offers still pending."""
    return (Award.objects.filter(status__in=PUBLIC_AWARD_STATES)
            .select_related("programme__authority", "recipient", "round")
            .order_by("-awarded_on", "-id"))


def instalment_get_for_award(*, award: Award, pk: int) -> Instalment:
    from django.http import Http404

    instalment = award.instalments.filter(pk=pk).first()
    if instalment is None:
        raise Http404("No such instalment.")
    instalment.award = award
    return instalment


def report_get_for_award(*, award: Award, pk: int) -> MonitoringReport:
    from django.http import Http404

    report = award.reports.filter(pk=pk).first()
    if report is None:
        raise Http404("No such report.")
    report.award = award
    return report


def payment_blocks(*, instalment: Instalment) -> list[str]:
    """Why this instalment cannot be paid now, in plain words (empty when it can)."""
    if instalment.status != "scheduled":
        return []
    if instalment.award.status != "live":
        return ["The grant is not live: the recipient has not accepted the agreement."]
    outcomes = govs015.evaluate(govs015.RELEASE_PAYMENT, instalment)
    return [f"{o.rule.title}: {o.problem}" for o in govs015.blocking(outcomes)]


def programme_totals(*, programme: Programme) -> dict:
    awards = public_awards().filter(programme=programme)
    totals = awards.aggregate(count=Count("id"), awarded=Sum("amount_awarded"),
                              paid=Sum("amount_paid"),
                              small=Sum("amount_awarded", filter=_small_local_charity()))
    totals["small_share"] = (round(100 * totals["small"] / totals["awarded"])
                             if totals["awarded"] and totals["small"] else 0)
    return totals


def _small_local_charity() -> Q:
    """Small (micro or small) voluntary, community or charitable organisations."""
    return Q(recipient__is_vcse=True, recipient__size__in=["micro", "small"])


def public_programmes() -> QuerySet[Programme]:
    return (Programme.objects.filter(awards__status__in=PUBLIC_AWARD_STATES).distinct()
            .select_related("authority").order_by("title"))


def programme_get_public(*, pk: int) -> Programme:
    from django.http import Http404

    programme = public_programmes().filter(pk=pk).first()
    if programme is None:
        raise Http404("No such programme.")
    return programme


def transparency_totals() -> dict:
    totals = public_awards().aggregate(count=Count("id"), awarded=Sum("amount_awarded"),
                                       small=Sum("amount_awarded",
                                                 filter=_small_local_charity()))
    totals["small_share"] = (round(100 * totals["small"] / totals["awarded"])
                             if totals["awarded"] and totals["small"] else 0)
    return totals


def _child(queryset, pk: int, label: str):
    from django.http import Http404

    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No such {label}.")
    return found


def condition_of(*, award: Award, pk: int):
    return _child(award.conditions.all(), pk, "condition")


def variation_of(*, award: Award, pk: int):
    return _child(award.variations.all(), pk, "variation")


def annual_review_of(*, award: Award, pk: int):
    return _child(award.annual_reviews.all(), pk, "annual review")


def measures_of(*, award: Award):
    return award.measures.select_related("measure").order_by("measure__code")


def report_rows(*, report: MonitoringReport) -> list[dict]:
    from core.money import format_gbp

    rows = [{"key": "Progress", "value": report.progress or "Not given"},
            {"key": "Spent so far", "value": format_gbp(report.spend_to_date)
             if report.spend_to_date is not None else "Not given"}]
    for result in report.results.select_related("award_measure__measure"):
        rows.append({"key": result.award_measure.measure.name,
                     "value": f"{result.actual} (target {result.award_measure.target})"})
    return rows


def award_page(*, award: Award) -> dict:
    """Everything the award pages show, each list in one query."""
    instalments = list(award.instalments.select_related("released_by").order_by("number"))
    for instalment in instalments:
        instalment.award = award
        instalment.blocks = payment_blocks(instalment=instalment)
    variations = list(award.variations.select_related("proposed_by", "decided_by"))
    labels = {"amount_awarded": "Amount", "planned_end": "End date", "title": "Title",
              "description": "Description"}
    for variation in variations:
        variation.rows = [(labels.get(k, k), variation.before.get(k), v)
                          for k, v in variation.after.items()]
    return {
        "award": award,
        "agreement": getattr(award, "agreement", None),
        "conditions": list(award.conditions.all()),
        "due_diligence": list(award.due_diligence.select_related("checked_by", "evidence")),
        "instalments": instalments,
        "recoveries": list(award.recoveries.all()),
        "repayment": getattr(award, "repayment", None),
        "repayments": list(award.repayments.all()),
        "reports": list(award.reports.order_by("number")),
        "variations": variations,
        "annual_reviews": list(award.annual_reviews.order_by("year")),
        "measures": list(measures_of(award=award)),
        "outstanding_repayment": (award.amount_disbursed - award.amount_repaid
                                  - (getattr(award, "repayment", None).write_off_amount or 0))
        if getattr(award, "repayment", None) else None,
    }
