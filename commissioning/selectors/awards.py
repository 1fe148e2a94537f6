"""Reads for awards, assessment summaries, feedback and contracts."""

from __future__ import annotations

from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from commissioning.models import AssessmentSummary, Award, Bid, Contract, Tender
from commissioning.selectors.evaluation import Ranking, RankingRow, scored_criteria
from core.models import AuditEntry
from organisations.models import Role
from organisations.selectors import organisation_ids_with_role

ACTIVE = [Award.Status.PROPOSED, Award.Status.APPROVED, Award.Status.STANDSTILL,
          Award.Status.CONTRACTED]


def active_award(*, tender: Tender, lot=None) -> Award | None:
    """The award of the tender (or lot) that is proposed, approved or made, if any."""
    return Award.objects.filter(tender=tender, lot=lot, status__in=ACTIVE).first()


def awards_of(tender: Tender) -> QuerySet[Award]:
    return (tender.awards.select_related("bid__organisation", "lot", "proposed_by",
                                         "approved_by").order_by("lot__number", "-created_at"))


def award_get_for_user(*, user, pk: int, perm: str = "commissioning.view_award") -> Award:
    award = (Award.objects.select_related("tender__authority", "bid__organisation", "lot",
                                          "proposed_by", "approved_by").filter(pk=pk).first())
    if award is None:
        raise Http404("No such award.")
    if not rules.has_perm(perm, user, award):
        raise PermissionDenied
    return award


def contract_get_for_user(*, user, pk: int,
                          perm: str = "commissioning.view_contract") -> Contract:
    contract = (Contract.objects.select_related("award__tender__authority",
                                                "award__supplier", "award__lot")
                .filter(pk=pk).first())
    if contract is None:
        raise Http404("No such contract.")
    if not rules.has_perm(perm, user, contract):
        raise PermissionDenied
    return contract


def override_reason(award: Award) -> str:
    """Why the award does not go to the top-ranked bid ("" when it does), from the audit log."""
    entry = AuditEntry.objects.filter(object_type="commissioning.award", object_id=str(award.pk),
                                      action="award.propose").order_by("sequence").first()
    return (entry.changes or {}).get("override_reason", "") if entry else ""


def feedback_for_user(*, user, bid_pk: int) -> AssessmentSummary:
    """The bidder's own assessment summary; 404 for anyone outside the bidding organisation."""
    bid = Bid.objects.select_related("organisation", "tender__authority").filter(
        pk=bid_pk).first()
    if bid is None or not rules.has_perm("commissioning.view_feedback", user, bid):
        raise Http404("No such feedback.")
    summary = (AssessmentSummary.objects.select_related("award", "bid__tender")
               .filter(bid=bid, sent_at__isnull=False)
               .exclude(award__status=Award.Status.CANCELLED).order_by("-sent_at").first())
    if summary is None:
        raise Http404("There is no feedback for this bid yet.")
    return summary


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _assessment(row: RankingRow, criteria, moderated: dict) -> dict:
    result = row.result
    by_criterion = {r.criterion_id: r for r in result.results}
    scores = []
    for criterion in criteria:
        entry = by_criterion.get(criterion.pk)
        reason = moderated.get(criterion.pk).rationale if moderated.get(criterion.pk) else ""
        if criterion.kind == "price":
            reason = "Scored by the published price formula."
        scores.append({
            "criterion_id": criterion.pk, "name": criterion.name, "kind": criterion.kind,
            "weight": f"{criterion.weight.normalize():f}", "max_score": criterion.max_score,
            "score": None if entry is None or entry.score is None else f"{entry.score:f}",
            "passed": None if entry is None else entry.passed, "reason": reason})
    return {"bid_id": row.bid.pk, "organisation": row.bid.organisation.name,
            "position": result.position, "total": f"{result.total:.2f}",
            "price": _money(result.price), "excluded_reason": result.excluded_reason,
            "scores": scores}


def summary_content(award: Award, result: Ranking, row: RankingRow) -> dict:
    """What one assessed bidder is told: their assessment and the winner's (s.50(3)-(4))."""
    tender = award.tender
    criteria = [c for c in tender.criteria.all() if c.pk in
                {x.pk for x in scored_criteria(tender)} or c.kind == "price"]
    winner_row = next(r for r in result.rows if r.bid.pk == award.bid_id)

    def moderated_of(bid: Bid) -> dict:
        return {m.criterion_id: m for m in bid.moderated_scores.all()}

    mine = _assessment(row, criteria, moderated_of(row.bid))
    is_winner = row.bid.pk == award.bid_id
    return {
        "tender": {"reference": tender.reference, "title": tender.title},
        "lot": str(award.lot) if award.lot else None,
        "authority": tender.authority.name,
        "price_formula": tender.get_price_formula_display(),
        "tie_break_rule": tender.tie_break_rule,
        "bids_assessed": len(result.rows),
        "is_winner": is_winner,
        "award_value": _money(award.value),
        "bid": mine,
        "winner": mine if is_winner else _assessment(winner_row, criteria,
                                                     moderated_of(winner_row.bid)),
        "generated_at": timezone.now().isoformat(),
    }


def feedback_rows(content: dict) -> list[dict]:
    """Pair the bidder's and the winner's score per criterion for the feedback page."""
    winner = {s["criterion_id"]: s for s in content["winner"]["scores"]}
    return [{"mine": s, "winner": winner.get(s["criterion_id"])}
            for s in content["bid"]["scores"]]


def lot_from_query(tender: Tender, value):
    """The tender's lot named in the query string (None for unlotted tenders); 404 if unknown."""
    if not value:
        return tender.lots.first() if tender.lots.exists() else None
    lot = tender.lots.filter(pk=value).first() if str(value).isdigit() else None
    if lot is None:
        raise Http404("No such lot.")
    return lot


def award_start_context(*, tender: Tender, lot, user) -> dict:
    from commissioning.selectors.evaluation import ranking_for_user

    return {"tender": tender, "lot": lot, "lots": list(tender.lots.all()),
            "ranking": ranking_for_user(tender=tender, user=user, lot=lot, page="award start",
                                        perm="commissioning.propose_award"),
            "awards": list(awards_of(tender)), "active": active_award(tender=tender, lot=lot)}


def award_value_for_user(*, award: Award, user, page: str) -> Decimal:
    """The award's value (the winning bid's opened price), its read audited.

    Once the contract award notice is published the value is public (OCDS, the notice), and
    reading it is no longer a read of sealed content.
    """
    from commissioning.selectors.bids import bid_reads_audit

    if award.notice_published_at is None:
        bid_reads_audit(user=user, bids=[award.bid], part="price", page=page)
    return award.value


def award_notice_context(*, award: Award, user, form) -> dict:
    return {"award": award, "form": form, "standstill_if_today": standstill_if_today(),
            "value": award_value_for_user(award=award, user=user, page="award notice")}


def bid_from_rows(result: Ranking, bid_pk: int) -> Bid | None:
    return next((r.bid for r in result.rows if r.bid.pk == bid_pk), None)


def award_context(*, award: Award, user) -> dict:
    contract = Contract.objects.filter(award=award).first()
    return {
        "award": award, "tender": award.tender, "contract": contract,
        "value": award_value_for_user(award=award, user=user, page="award"),
        "override_reason": override_reason(award),
        "summaries": award.summaries.select_related("bid__organisation").order_by(
            "bid__organisation__name"),
        "can_approve": rules.has_perm("commissioning.approve_award", user, award),
        "is_proposer": award.proposed_by_id == user.pk,
        "can_publish": rules.has_perm("commissioning.publish_award_notice", user, award),
        "can_enter": contract is None
        and rules.has_perm("commissioning.enter_contract", user, award),
        "standstill_over": _standstill_over(award),
    }


def _standstill_over(award: Award) -> bool:
    from commissioning.services.contracts import contract_can_start_on
    from core.calendar import local_date

    first = contract_can_start_on(award)
    return first is not None and local_date(timezone.now()) >= first


def standstill_if_today():
    """The standstill end if the award notice were published now (shown before publishing)."""
    from commissioning.services.awards import standstill_end
    from core.calendar import local_date

    return standstill_end(local_date(timezone.now()))


def contract_context(*, contract: Contract, user) -> dict:
    from commissioning.services.contracts import contract_details_problems, kpis_required

    return {"contract": contract, "award": contract.award, "tender": contract.award.tender,
            "kpis": list(contract.kpis.all()), "kpis_required": kpis_required(contract),
            "problems": contract_details_problems(contract),
            "can_manage": rules.has_perm("commissioning.manage_contract", user, contract)
            and not contract.terminated_at}


def kpi_get(contract: Contract, pk: int):
    kpi = contract.kpis.filter(pk=pk).first()
    if kpi is None:
        raise Http404("No such KPI.")
    return kpi


CONTRACT_ROLES = (Role.CONTRACT_MANAGER, Role.COMMISSIONER, Role.AUTHORITY_ADMIN)


def contracts_for_user(*, user) -> QuerySet[Contract]:
    """Contracts of the authorities where the person manages contracts or runs tenders, newest
    signed first, with what the list shows (one query a page)."""
    if not getattr(user, "is_authenticated", False):
        return Contract.objects.none()
    authorities = organisation_ids_with_role(user=user, roles=CONTRACT_ROLES)
    return (Contract.objects.filter(award__tender__authority_id__in=authorities)
            .select_related("award__tender", "award__supplier", "award__lot")
            .order_by("-signed_at", "-id"))


def contract_history(*, contract: Contract) -> QuerySet[AuditEntry]:
    """Every audited action on the contract and on the award it came from, oldest first."""
    return AuditEntry.objects.filter(
        Q(object_type="commissioning.contract", object_id=str(contract.pk))
        | Q(object_type="commissioning.award", object_id=str(contract.award_id))
    ).order_by("sequence")
