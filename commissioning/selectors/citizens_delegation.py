"""Reads for evaluation questions delegated to a citizens' panel (see ADR 0030).

Panel members read the delegated answers only through ``delegated_answers``, which checks and
audits one ``bid.content_viewed`` per bid shown, and never gives a supplier's name.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404
from django.urls import reverse

from citizens import phases
from citizens.selectors.decisions import decision_for_reference, panels_taking_decisions
from commissioning.models import AwardCriterion, CitizensDelegation, ModeratedScore, Tender
from commissioning.selectors.evaluation import (
    assessable_bids,
    delegated_criterion_ids,
    unsealed_payload,
)
from core.audit import audit_record_many

DELEGABLE_KINDS = (AwardCriterion.Kind.QUALITY, AwardCriterion.Kind.SOCIAL_VALUE)


def delegable_questions(tender: Tender):
    """Questions a panel could score now: on a quality or social value criterion that is
    neither delegated nor moderated for any bid."""
    moderated = ModeratedScore.objects.filter(bid__tender=tender).values("criterion_id")
    return (tender.questions.select_related("criterion")
            .filter(criterion__kind__in=DELEGABLE_KINDS)
            .exclude(criterion_id__in=delegated_criterion_ids(tender))
            .exclude(criterion_id__in=moderated).order_by("number"))


def scoring_panels(*, tender: Tender, user):
    """The authority's citizens' panels this person may put a decision to, in a phase that
    allows scoring."""
    panels = panels_taking_decisions(user=user, authority_id=tender.authority_id)
    keys = [p.key for p in phases.all_phases() if phases.SCORE in p.actions]
    return panels.filter(phase__in=keys)


@dataclass
class DelegationRow:
    delegation: CitizensDelegation
    questions: list
    decision: dict | None
    results_url: str
    vote_url: str
    summaries: int = 0
    answers: int = 0
    can_summarise: bool = False
    can_recall: bool = False


def delegations_of(tender: Tender) -> list[DelegationRow]:
    from commissioning.services.citizens_delegation import decision_reference

    rows = []
    for delegation in tender.citizens_delegations.prefetch_related("questions").annotate(
            summary_count=Count("summaries")):
        questions = sorted(q.number for q in delegation.questions.all())
        rows.append(DelegationRow(
            delegation=delegation, questions=questions,
            decision=decision_for_reference(reference=decision_reference(delegation)),
            results_url=reverse("citizens:results", args=[delegation.decision_id]),
            vote_url=reverse("citizens:vote", args=[delegation.decision_id]),
            summaries=delegation.summary_count,
            answers=len(delegation.bid_labels) * len(questions)))
    return rows


def summaries_open(delegation: CitizensDelegation) -> bool:
    """Summaries can be written until the panel's vote opens."""
    from commissioning.services.citizens_delegation import decision_reference

    decision = decision_for_reference(reference=decision_reference(delegation))
    return (delegation.status == CitizensDelegation.Status.WITH_PANEL and decision is not None
            and decision["status"] == "draft")


def scored_by_panel(tender: Tender) -> dict[int, CitizensDelegation]:
    """Criterion id to the delegation whose panel scored (or is scoring) it."""
    found = {}
    for delegation in tender.citizens_delegations.exclude(
            status=CitizensDelegation.Status.RETURNED).prefetch_related("criteria"):
        for criterion in delegation.criteria.all():
            found[criterion.pk] = delegation
    return found


def delegation_context(*, tender: Tender, user, form=None) -> dict:
    can_delegate = rules.has_perm("commissioning.delegate_questions", user, tender) and (
        tender.status in ("opened", "evaluation"))
    rows = delegations_of(tender)
    for row in rows:
        draft = row.decision is not None and row.decision["status"] == "draft"
        row.can_summarise = draft and rules.has_perm("commissioning.summarise_delegated", user,
                                                     row.delegation)
        row.can_recall = draft and rules.has_perm("commissioning.recall_delegation", user,
                                                  row.delegation)
    return {"delegations": rows, "can_delegate": can_delegate,
            "delegation_form": form}


def delegation_get_for_user(*, user, tender_pk: int, pk: int,
                            perm: str = "commissioning.view_delegation") -> CitizensDelegation:
    """404 for anyone neither managing the tender nor on the panel's open roll."""
    delegation = (CitizensDelegation.objects.select_related("tender__authority")
                  .filter(pk=pk, tender_id=tender_pk).first())
    if delegation is None or not rules.has_perm("commissioning.view_delegation", user,
                                                delegation):
        raise Http404("No such page.")
    if not rules.has_perm(perm, user, delegation):
        raise PermissionDenied
    return delegation


def bidders_for_declaration(delegation: CitizensDelegation) -> QuerySet:
    """The organisations in the delegated bids, by name and never linked to a letter."""
    from commissioning.selectors.evaluation import bidders_of

    return bidders_of(delegation.tender)


@dataclass
class DelegatedAnswer:
    question: object
    text: str
    summary: str


@dataclass
class AnonymousBid:
    label: str
    bid_id: int
    answers: list[DelegatedAnswer]


def delegated_answers(*, delegation: CitizensDelegation, user,
                      for_summary: bool = False) -> list[AnonymousBid]:
    """Each delegated bid's answers to the delegated questions, labelled, with their easy-read
    summaries, audited per bid. Panel members read them to score; with ``for_summary`` the
    tender's commissioners read them to write the summaries."""
    perm = ("commissioning.summarise_delegated" if for_summary
            else "commissioning.read_delegated_answers")
    if not rules.has_perm(perm, user, delegation):
        raise PermissionDenied("Declare any conflict of interest before you read the answers.")
    questions = list(delegation.questions.order_by("number"))
    summaries = {(s.bid_id, s.question_id): s.text for s in delegation.summaries.all()}
    bids = {str(b.pk): b for b in assessable_bids(delegation.tender)}
    purpose = ("to summarise them for" if for_summary else "as a member of")
    shown, reads = [], []
    for bid_id, label in sorted(delegation.bid_labels.items(), key=lambda item: item[1]):
        bid = bids.get(bid_id)
        if bid is None:
            continue
        answers = unsealed_payload(bid).get("answers") or {}
        reads.append({"action": "bid.content_viewed", "obj": bid,
                      "organisation_id": delegation.tender.authority_id,
                      "summary": f"Read the answers of {label} {purpose} the citizens' "
                                 f"panel “{delegation.panel_title}”",
                      "changes": {"part": "answers", "questions": [q.pk for q in questions],
                                  "decision_id": delegation.decision_id}})
        shown.append(AnonymousBid(label=label, bid_id=bid.pk, answers=[
            DelegatedAnswer(question=q, text=answers.get(str(q.pk), ""),
                            summary=summaries.get((bid.pk, q.pk), ""))
            for q in questions]))
    audit_record_many(actor=user, records=reads)
    return shown
