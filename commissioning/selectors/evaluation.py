"""Reads for criteria, opening and evaluation, scoped to what the asking person may see.

People read bid content only through ``commissioning.selectors.bids.bid_content`` (which checks
and audits); ``unsealed_payload``, ``bid_price`` and ``ranking`` are for the system's own
processing (opening, the price formula, award decisions), never for showing a bid to a person.
Pages show the ranking, with its opened prices, through ``ranking_for_user``, which checks
permission and audits one read per bid per page view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from commissioning import scoring
from commissioning.models import (
    AwardCriterion,
    Bid,
    ModeratedScore,
    Score,
    Tender,
    TenderEvaluator,
)
from commissioning.permissions.evaluation import (
    OPENED_STATES,
    RUNNERS,
    conflicted_organisation_ids,
    latest_declaration,
)
from mutuals.selectors import social_value_profile
from organisations.models import Role

Kind = AwardCriterion.Kind


def tender_get_for_user(*, user, pk: int, perm: str) -> Tender:
    """Fetch a tender and check ``perm`` on it: 404 when unknown, 403 when not allowed."""
    tender = Tender.objects.select_related("authority").filter(pk=pk).first()
    if tender is None:
        raise Http404("No such tender.")
    if not rules.has_perm(perm, user, tender):
        raise PermissionDenied
    return tender


def bid_get_for_user(*, user, pk: int, perm: str) -> Bid:
    bid = (Bid.objects.select_related("tender__authority", "organisation", "lot")
           .filter(pk=pk, status=Bid.Status.SUBMITTED).first())
    if bid is None:
        raise Http404("No such bid.")
    if not rules.has_perm(perm, user, bid):
        raise PermissionDenied
    return bid


def criterion_get(*, tender: Tender, pk: int) -> AwardCriterion:
    criterion = tender.criteria.filter(pk=pk).first()
    if criterion is None:
        raise Http404("No such criterion.")
    return criterion


def criteria_of(tender: Tender) -> QuerySet[AwardCriterion]:
    return tender.criteria.prefetch_related("scale", "questions")


def linkable_criteria(tender: Tender) -> QuerySet[AwardCriterion]:
    """Criteria a question can be scored against: scored by people (not price), no children."""
    return tender.criteria.exclude(kind=Kind.PRICE).filter(sub_criteria__isnull=True)


def questions_of(tender: Tender):
    return tender.questions.select_related("criterion")


def unsealed_payload(bid: Bid) -> dict:
    """The bid's sealed content, for system processing only (see the module docstring)."""
    if "_unsealed" not in bid.__dict__:
        from commissioning.sealing import unseal

        blob = bytes(bid.sealed_content or b"")
        bid.__dict__["_unsealed"] = unseal(tender=bid.tender, blob=blob) if blob else {}
    return bid.__dict__["_unsealed"]


def bid_price(bid: Bid) -> Decimal | None:
    total = (unsealed_payload(bid).get("price") or {}).get("total")
    return Decimal(str(total)) if total not in (None, "") else None


def runners_of(authority):
    """The commissioners and administrators of an authority."""
    from accounts.models import User

    return User.objects.filter(memberships__organisation=authority,
                               memberships__role__in=RUNNERS, is_active=True).distinct()


def bidder_contacts(bid: Bid) -> list:
    """Who hears about a bid: the organisation's administrators and the person who made it."""
    from organisations.selectors import admins_of

    return [*admins_of(organisation=bid.organisation), bid.created_by]


def supplier_contacts(award) -> list:
    """Who hears about an award's contract: the bidder's people, or for a direct award (no bid)
    the supplier's administrators."""
    from organisations.selectors import admins_of

    if award.bid_id is None:
        return list(admins_of(organisation=award.supplier))
    return bidder_contacts(award.bid)


def panel_candidates(tender: Tender):
    """Authority staff who may join the panel: its evaluators and commissioners."""
    from accounts.models import User

    return (User.objects.filter(memberships__organisation=tender.authority,
                                memberships__role__in=[Role.EVALUATOR, Role.COMMISSIONER],
                                is_active=True)
            .exclude(pk__in=tender.evaluators.values("user_id")).distinct()
            .order_by("full_name", "email"))


def panel_of(tender: Tender) -> QuerySet[TenderEvaluator]:
    return tender.evaluators.select_related("user").order_by("user__full_name", "user__email")


def tenders_for_evaluation(*, user) -> QuerySet[Tender]:
    """Tenders the person evaluates or runs whose bids are open or about to be."""
    if not getattr(user, "is_authenticated", False):
        return Tender.objects.none()
    runs = Q(authority__memberships__user=user, authority__memberships__role__in=RUNNERS)
    return (Tender.objects.filter(Q(evaluators__user=user) | runs)
            .filter(status__in=[*OPENED_STATES, "published"]).select_related("authority")
            .distinct().order_by("deadline", "pk"))


def assessable_bids(tender: Tender, lot=None) -> QuerySet[Bid]:
    bids = tender.bids.filter(status=Bid.Status.SUBMITTED, disregarded_reason="")
    if lot is not None:
        bids = bids.filter(lot=lot)
    return bids.select_related("organisation", "lot").order_by("lot__number", "pk")


def scored_criteria(tender: Tender) -> list[AwardCriterion]:
    """Criteria evaluators score (leaves that are not price), in order."""
    criteria = list(tender.criteria.prefetch_related("scale", "questions"))
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents and c.kind != Kind.PRICE]


def delegated_criterion_ids(tender: Tender) -> set[int]:
    """Criteria whose questions a citizens' panel scores (or has scored): not the evaluators'."""
    from commissioning.models import CitizensDelegation

    return set(CitizensDelegation.criteria.through.objects.filter(
        citizensdelegation__tender=tender).exclude(
        citizensdelegation__status=CitizensDelegation.Status.RETURNED)
        .values_list("awardcriterion_id", flat=True))


def evaluator_criteria(tender: Tender) -> list[AwardCriterion]:
    """What the evaluators score and moderate: the scored criteria not delegated."""
    delegated = delegated_criterion_ids(tender)
    return [c for c in scored_criteria(tender) if c.pk not in delegated]


@dataclass
class BidRow:
    bid: Bid
    conflicted: bool
    my_status: str
    moderated: bool


def evaluation_rows(*, tender: Tender, user) -> list[BidRow]:
    """Every submitted bid, with whether this person may see it and how far they got."""
    named = conflicted_organisation_ids(user, tender)
    criteria = len(evaluator_criteria(tender))
    everything = {c.pk for c in scored_criteria(tender)}
    bids = (tender.bids.filter(status=Bid.Status.SUBMITTED)
            .select_related("organisation", "lot").prefetch_related(
                Prefetch("scores", queryset=Score.objects.filter(evaluator=user),
                         to_attr="my_scores"), "members", "moderated_scores")
            .order_by("lot__number", "pk"))
    rows = []
    for bid in bids:
        organisations = {bid.organisation_id, *(m.organisation_id for m in bid.members.all())}
        submitted = [s for s in bid.my_scores if s.submitted_at]
        status = ("Nothing to score" if not criteria
                  else "Submitted" if len(submitted) >= criteria
                  else "In progress" if bid.my_scores else "Not started")
        done = {m.criterion_id for m in bid.moderated_scores.all()}
        rows.append(BidRow(bid=bid, conflicted=bool(named & organisations), my_status=status,
                           moderated=bool(everything) and everything <= done))
    return rows


def my_scores(*, bid: Bid, user) -> dict[int, Score]:
    return {s.criterion_id: s for s in Score.objects.filter(bid=bid, evaluator=user)}


def has_submitted(*, bid: Bid, user) -> bool:
    return Score.objects.filter(bid=bid, evaluator=user, submitted_at__isnull=False).exists()


def expected_to_score(*, bid: Bid, user) -> bool:
    return TenderEvaluator.objects.filter(tender_id=bid.tender_id, user=user).exists()


@dataclass
class CriterionScores:
    criterion: AwardCriterion
    individual: list[Score] = field(default_factory=list)
    moderated: ModeratedScore | None = None
    panel_title: str = ""  # a citizens' panel scores this criterion (ADR 0030)


def scores_side_by_side(*, bid: Bid, user) -> list[CriterionScores]:
    """Submitted individual scores next to the moderated one, per criterion.

    Blind scoring: a panel member sees other people's scores only after submitting their own
    for this bid; drafts are never shown to anyone but their author.
    """
    blind = expected_to_score(bid=bid, user=user) and not has_submitted(bid=bid, user=user)
    scores = Score.objects.filter(bid=bid, submitted_at__isnull=False).select_related("evaluator")
    if blind:
        scores = scores.none()
    moderated = {m.criterion_id: m for m in bid.moderated_scores.select_related("moderated_by")}
    from commissioning.selectors.citizens_delegation import scored_by_panel

    panels = scored_by_panel(bid.tender)
    rows = {c.pk: CriterionScores(criterion=c, moderated=moderated.get(c.pk),
                                  panel_title=panels[c.pk].panel_title if c.pk in panels else "")
            for c in scored_criteria(bid.tender)}
    for score in scores.order_by("evaluator__full_name", "pk"):
        if score.criterion_id in rows:
            rows[score.criterion_id].individual.append(score)
    return list(rows.values())


def panel_progress(bid: Bid) -> tuple[list, list]:
    """(who submitted, who has not) among the panel members not conflicted with the bid."""
    from commissioning.permissions.evaluation import bid_organisation_ids

    organisations = bid_organisation_ids(bid)
    done, waiting = [], []
    for member in panel_of(bid.tender):
        if conflicted_organisation_ids(member.user, bid.tender) & organisations:
            continue
        declared = latest_declaration(member.user, bid.tender) is not None
        submitted = declared and has_submitted(bid=bid, user=member.user)
        (done if submitted else waiting).append(member.user)
    return done, waiting


@dataclass
class RankingRow:
    bid: Bid
    result: scoring.BidResult


@dataclass
class Ranking:
    rows: list[RankingRow]
    missing: list[str]
    rule_known: bool

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def top(self) -> RankingRow | None:
        first = [r for r in self.rows if r.result.position == 1]
        return first[0] if len(first) == 1 and not first[0].result.tied_with else None


def ranking(*, tender: Tender, lot=None) -> Ranking:
    """Rank the assessable bids from their moderated scores and the price formula."""
    bids = list(assessable_bids(tender, lot).prefetch_related("moderated_scores"))
    scored = scored_criteria(tender)
    price_criterion = tender.criteria.filter(kind=Kind.PRICE).first()
    missing, partial = [], []
    for bid in bids:
        moderated = {m.criterion_id: m for m in bid.moderated_scores.all()}
        if any(c.pk not in moderated for c in scored):
            missing.append(f"{bid.organisation.name}: moderation is not finished.")
        failed = [c.name for c in scored if c.kind == Kind.PASS_FAIL
                  and c.pk in moderated and moderated[c.pk].passed is False]
        results = [scoring.CriterionResult(
            criterion_id=c.pk, kind=c.kind, weight=c.weight, max_score=c.max_score,
            score=Decimal(moderated[c.pk].score) if c.pk in moderated
            and moderated[c.pk].score is not None else None,
            passed=moderated[c.pk].passed if c.pk in moderated else None) for c in scored]
        partial.append((bid, results, failed))
    rows = _with_price(tender, lot, price_criterion, partial, missing)
    ranked = scoring.rank([r.result for r in rows], rule_text=tender.tie_break_rule)
    by_id = {r.bid.pk: r.bid for r in rows}
    return Ranking(rows=[RankingRow(bid=by_id[r.bid_id], result=r) for r in ranked],
                   missing=missing,
                   rule_known=scoring.tie_break_key(tender.tie_break_rule) is not None)


def _with_price(tender, lot, price_criterion, partial, missing) -> list[RankingRow]:
    prices = {bid.pk: bid_price(bid) for bid, _r, _f in partial} if price_criterion else {}
    for bid, _results, _failed in partial:
        if price_criterion and prices[bid.pk] is None:
            missing.append(f"{bid.organisation.name}: the bid has no price.")
    eligible = [prices[b.pk] for b, _r, failed in partial
                if not failed and prices.get(b.pk) is not None]
    budget = (lot.estimated_value_ex_vat if lot is not None and lot.estimated_value_ex_vat
              else tender.estimated_value_ex_vat)
    rows = []
    for bid, results, failed in partial:
        price = prices.get(bid.pk)
        if price_criterion and price is not None and eligible:
            points = scoring.price_score(formula=tender.price_formula, price=price,
                                         prices=eligible, max_score=price_criterion.max_score,
                                         budget=budget)
            results = [*results, scoring.CriterionResult(
                criterion_id=price_criterion.pk, kind=Kind.PRICE, weight=price_criterion.weight,
                max_score=price_criterion.max_score, score=points)]
        result = scoring.bid_result(bid_id=bid.pk, price=price, results=results,
                                    failed_names=failed)
        rows.append(RankingRow(bid=bid, result=result))
    return rows


def panel_members(tender: Tender) -> list[dict]:
    """The panel with each member's declaration, for the panel page."""
    members = list(panel_of(tender))
    return [{"member": m, "declaration": latest_declaration(m.user, tender)} for m in members]


def panel_member_get(*, tender: Tender, pk: int) -> TenderEvaluator:
    member = tender.evaluators.select_related("user").filter(pk=pk).first()
    if member is None:
        raise Http404("No such panel member.")
    return member


def bidders_of(tender: Tender):
    """Every organisation in a submitted bid (leads and consortium members), by name."""
    from organisations.models import Organisation

    submitted = Q(bids__tender=tender, bids__status=Bid.Status.SUBMITTED)
    member = Q(pk__in=tender.bids.filter(status=Bid.Status.SUBMITTED)
               .values("members__organisation"))
    return Organisation.objects.filter(submitted | member).distinct().order_by("name")


def moderated_scores(bid: Bid) -> dict[int, ModeratedScore]:
    return {m.criterion_id: m for m in bid.moderated_scores.all()}


def opening_context(*, tender: Tender, user) -> dict:
    from django.utils import timezone

    from commissioning.models import Opening
    from commissioning.selectors.bids import submitted_bid_count

    opening = Opening.objects.select_related("requested_by", "confirmed_by").filter(
        tender=tender).first()
    return {
        "tender": tender, "opening": opening,
        "deadline_passed": tender.deadline is not None and timezone.now() >= tender.deadline,
        "bid_count": submitted_bid_count(tender=tender, user=user),
        "is_requester": opening is not None and opening.requested_by_id == user.pk,
    }


def evaluation_context(*, tender: Tender, user) -> dict:
    """The evaluation hub: the person's declaration, then the bids they may see."""
    declaration = latest_declaration(user, tender)
    return {
        "tender": tender, "declaration": declaration,
        "rows": evaluation_rows(tender=tender, user=user) if declaration else [],
        "on_panel": tender.evaluators.filter(user=user).exists(),
        "can_manage": rules.has_perm("commissioning.manage_panel", user, tender),
        "can_rank": rules.has_perm("commissioning.view_ranking", user, tender),
        "can_award": rules.has_perm("commissioning.propose_award", user, tender),
    }


def bid_page_context(*, bid: Bid, form, content: dict) -> dict:
    """The scoring page: each criterion with the answers it scores and the score fields."""
    answers = content.get("answers") or {}
    sections = form.sections()
    for section in sections:
        section["answers"] = [(q, answers.get(str(q.pk), ""))
                              for q in section["criterion"].questions.all()]
    return {"bid": bid, "tender": bid.tender, "form": form, "sections": sections,
            "commitments": commitments_for(bid),
            "organisation_social_value": social_value_profile(
                organisation_id=bid.organisation_id)}


def commitments_for(bid: Bid):
    """The social value commitments recorded at opening, summarised for evaluators."""
    if bid.social_value_commitments_id is None:
        return None
    try:
        from socialvalue.selectors import commitment_summary
    except ImportError:  # the social value selectors are not installed yet
        return None
    return commitment_summary(bid.social_value_commitments)


def scores_page_context(*, bid: Bid, user, form) -> dict:
    done, waiting = panel_progress(bid)
    blind = expected_to_score(bid=bid, user=user) and not has_submitted(bid=bid, user=user)
    return {"bid": bid, "tender": bid.tender, "rows": scores_side_by_side(bid=bid, user=user),
            "blind": blind, "done": done, "waiting": waiting, "form": form,
            "sections": form.sections() if form is not None else []}


def ranking_for_user(*, tender: Tender, user, lot=None, page: str = "ranking",
                     perm: str = "commissioning.view_ranking") -> Ranking:
    """The ranking with its opened prices, for a person: `perm` checked, every bid's read audited.

    One ``bid.content_viewed`` entry per ranked bid per page view (part "price").
    """
    from commissioning.selectors.bids import bid_reads_audit

    if not rules.has_perm(perm, user, tender):
        raise PermissionDenied
    result = ranking(tender=tender, lot=lot)
    bid_reads_audit(user=user, bids=[row.bid for row in result.rows], part="price", page=page)
    return result


def rankings_by_lot_for_user(*, tender: Tender, user) -> list[tuple]:
    lots = list(tender.lots.all())
    if not lots:
        return [(None, ranking_for_user(tender=tender, user=user))]
    return [(lot, ranking_for_user(tender=tender, user=user, lot=lot)) for lot in lots]
