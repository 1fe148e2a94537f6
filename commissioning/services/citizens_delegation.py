"""Evaluation questions delegated to a citizens' panel, and the panel's scores written back.

The tender's managers choose, after opening, questions whose answers a citizens' panel of the
same authority scores (``delegation_create``). The citizens app receives a draft score
decision: one option per assessable bid, labelled "Bid A", "Bid B"… with no supplier name and
no bid content, one criterion per award criterion of the delegated questions (the tender's
weight, its questions as the label). Panel members read the answers on the tender's own page
(declaration first, every read audited). When the decision closes, ``delegation_apply`` writes
the panel's per-bid, per-criterion means, scaled to each criterion's maximum, as the moderated
scores; a vote that was not quorate hands the questions back to the evaluators. See ADR 0030.
"""

from __future__ import annotations

import contextlib
import secrets
import string
from decimal import ROUND_HALF_UP, Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from citizens import phases
from citizens.selectors.decisions import decision_result
from citizens.services.decisions import decision_create, decision_withdraw, voter_recuse
from commissioning.models import (
    AwardCriterion,
    CitizensDelegation,
    DelegatedAnswerSummary,
    ModeratedScore,
    Tender,
    TenderQuestion,
)
from commissioning.permissions.evaluation import bid_organisation_ids
from commissioning.selectors.citizens_delegation import DELEGABLE_KINDS, summaries_open
from commissioning.selectors.evaluation import (
    assessable_bids,
    delegated_criterion_ids,
    panel_of,
    runners_of,
)
from core.audit import audit_record
from core.notifications import notify
from core.outbox import enqueue

Kind = AwardCriterion.Kind
DELEGABLE_STATES = ("opened", "evaluation")
SCORE_MAX = 10
SUMMARY_MAX_CHARS = 600
REFERENCE_PREFIX = "tender-questions-"
APPLY_TASK = "commissioning.apply_citizens_delegation"


def decision_reference(delegation: CitizensDelegation) -> str:
    return f"{REFERENCE_PREFIX}{delegation.tender_id}-{delegation.pk}"


def bid_reference(bid_id: int | str) -> str:
    return f"tender-bid-{bid_id}"


def criterion_reference(criterion_id: int) -> str:
    return f"tender-criterion-{criterion_id}"


def _labels(bids) -> dict[str, str]:
    """"Bid A", "Bid B"… in a random order, so a letter tells nothing of who bid or when."""
    order = list(bids)
    secrets.SystemRandom().shuffle(order)
    letters = string.ascii_uppercase
    return {str(bid.pk): f"Bid {letters[i % 26]}{'' if i < 26 else i // 26}"
            for i, bid in enumerate(order)}


def _check(tender: Tender, panel, questions: list[TenderQuestion]) -> list[AwardCriterion]:
    errors: dict[str, str] = {}
    if tender.status not in DELEGABLE_STATES:
        raise ValidationError("Questions are delegated after the bids are opened and before "
                              "the award decision.")
    if panel.authority_id != tender.authority_id:
        errors["panel"] = "Choose a citizens' panel of the authority running the tender."
    elif not phases.allows(panel.phase, phases.SCORE):
        errors["panel"] = (f"The panel “{panel.title}” is in its "
                           f"{phases.get(panel.phase).label.lower()} phase, which does not "
                           "allow scoring. Move it on first.")
    if not questions:
        errors["questions"] = "Choose at least one question for the panel to score."
    delegated = delegated_criterion_ids(tender)
    criteria: dict[int, AwardCriterion] = {}
    for question in questions:
        criterion = question.criterion
        if question.tender_id != tender.pk:
            errors["questions"] = "Choose questions of this tender."
        elif criterion is None or criterion.kind not in DELEGABLE_KINDS:
            errors["questions"] = (f"Question {question.number} is not scored against a quality "
                                   "or social value criterion, so a panel cannot score it.")
        elif criterion.pk in delegated:
            errors["questions"] = (f"Question {question.number} is already with a citizens' "
                                   "panel.")
        elif ModeratedScore.objects.filter(bid__tender=tender, criterion=criterion).exists():
            errors["questions"] = (f"Question {question.number} is already moderated: its "
                                   "score stands and cannot be delegated.")
        else:
            criteria[criterion.pk] = criterion
    chosen = {q.pk for q in questions}
    for criterion in criteria.values():
        left_out = [q.number for q in criterion.questions.all() if q.pk not in chosen]
        if left_out:
            errors["questions"] = (f"“{criterion.name}” is also scored on question "
                                   f"{', '.join(map(str, left_out))}: delegate all its "
                                   "questions or none.")
    if errors:
        raise ValidationError(errors)
    return list(criteria.values())


@transaction.atomic
def delegation_create(*, actor, tender: Tender, panel, questions, closes_at=None
                      ) -> CitizensDelegation:
    """Put the answers to ``questions`` to a citizens' panel as a draft score decision."""
    if not rules.has_perm("commissioning.delegate_questions", actor, tender):
        raise PermissionDenied("Only the tender's commissioners delegate questions to a panel.")
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    questions = list(TenderQuestion.objects.filter(pk__in=[q.pk for q in questions])
                     .select_related("criterion").order_by("number"))
    criteria = _check(tender, panel, questions)
    bids = list(assessable_bids(tender))
    if len(bids) < 2:
        raise ValidationError("A panel compares at least two bids: there are fewer to assess.")
    delegation = CitizensDelegation.objects.create(
        tender=tender, decision_id=0, panel_id=panel.pk, panel_title=panel.title,
        bid_labels=_labels(bids), created_by=actor)
    delegation.questions.set(questions)
    delegation.criteria.set(criteria)
    by_label = sorted(delegation.bid_labels.items(), key=lambda item: item[1])
    numbers = ", ".join(str(q.number) for q in questions)
    plural = "s" if len(questions) > 1 else ""
    decision = decision_create(actor=actor, panel=panel, data={
        "title": f"Score answers to the {tender.title} tender"[:200],
        "question": (f"Score each bid's answers to question{plural} "
                     f"{numbers} of {tender.title} from 0 to {SCORE_MAX}. Bids are shown as "
                     "letters: you do not see who made them. Read the answers first."),
        "easy_read_question": (f"Read what each bidder wrote. Give each answer a mark from 0 "
                               f"(poor) to {SCORE_MAX} (excellent)."),
        "method": "score", "score_max": SCORE_MAX, "seats": 1, "closes_at": closes_at,
        "reference": decision_reference(delegation),
        "briefing_url": reverse("commissioning:delegated_answers",
                                args=[tender.pk, delegation.pk])},
        options=[{"label": label, "reference": bid_reference(bid_id),
                  "easy_read_summary": f"{label}: read its answers before you score it."}
                 for bid_id, label in by_label],
        criteria=[{"label": _criterion_label(c, questions), "reference": criterion_reference(c.pk),
                   "weight": max(1, int(c.weight.to_integral_value(ROUND_HALF_UP))),
                   "guidance": c.description}
                  for c in criteria])
    delegation.decision_id = decision.pk
    delegation.save(update_fields=["decision_id"])
    audit_record(actor=actor, action="tender.questions_delegated", obj=tender,
                 organisation_id=tender.authority_id,
                 summary=f"Question{plural} {numbers} delegated to the "
                         f"citizens' panel “{panel.title}”",
                 changes={"decision_id": decision.pk, "panel_id": panel.pk,
                          "questions": [q.pk for q in questions],
                          "criteria": [c.pk for c in criteria]})
    notify(recipients=[m.user for m in panel_of(tender)],
           subject=f"Questions {numbers} of {tender.title} go to a citizens' panel",
           body=f"The citizens' panel “{panel.title}” scores question{plural} {numbers}: "
                "you are not asked to score them.",
           url=reverse("commissioning:evaluation", args=[tender.pk]))
    return delegation


def _criterion_label(criterion: AwardCriterion, questions) -> str:
    texts = "; ".join(f"question {q.number}: {q.text}" for q in questions
                      if q.criterion_id == criterion.pk)
    return f"{criterion.name} ({texts})"[:200]


def _scaled(value: str, criterion: AwardCriterion, score_max: int,
            scale_points: list[int]) -> int:
    """The panel's mean on the criterion's own range, then on its published scale: the
    nearest point of the scale the evaluators use (the higher one when halfway), so a
    panel's score reads like any moderated score."""
    points = Decimal(value) * criterion.max_score / (score_max or SCORE_MAX)
    if scale_points:
        return min(scale_points, key=lambda p: (abs(Decimal(p) - points), -p))
    return int(points.to_integral_value(ROUND_HALF_UP))


@transaction.atomic
def delegation_apply(*, decision_id: int, actor=None) -> CitizensDelegation | None:
    """Write a closed decision's scores as the moderated scores of the delegated criteria.

    Runs when the panel's decision closes (``citizens.signals.decision_closed``) and again
    harmlessly: a delegation is applied once. Not quorate: the questions go back to the
    evaluators, who are told."""
    delegation = (CitizensDelegation.objects.select_for_update().select_related("tender")
                  .filter(decision_id=decision_id).first())
    if delegation is None or delegation.status != CitizensDelegation.Status.WITH_PANEL:
        return delegation
    result = decision_result(decision_id=decision_id)
    if result is None:
        return delegation
    tender = delegation.tender
    questions = ", ".join(str(q.number) for q in delegation.questions.order_by("number"))
    delegation.applied_at = timezone.now()
    if not result["quorate"]:
        return _hand_back(
            delegation, actor=actor, action="tender.delegation_returned",
            why=f"The citizens' panel “{delegation.panel_title}” did not reach its quorum, so "
                "its scores do not count", changes={"decision_id": decision_id},
            also_tell=runners_of(tender.authority))
    criteria = list(delegation.criteria.prefetch_related("scale"))
    scales = {c.pk: sorted(p.score for p in c.scale.all()) for c in criteria}
    marks = result["criterion_scores"]
    source = f"Scored by the citizens' panel “{delegation.panel_title}”"
    bids = {str(b.pk): b for b in assessable_bids(tender)}
    for bid_id, label in sorted(delegation.bid_labels.items(), key=lambda item: item[1]):
        bid = bids.get(bid_id)
        bid_marks = marks.get(bid_reference(bid_id))
        if bid is None or bid_marks is None:
            continue  # withdrawn or disregarded since: nothing to score
        written = {}
        for criterion in criteria:
            value = bid_marks.get(criterion_reference(criterion.pk))
            if value is None:
                continue
            score = _scaled(value, criterion, result["score_max"], scales[criterion.pk])
            ModeratedScore.objects.update_or_create(bid=bid, criterion=criterion, defaults={
                "score": score, "passed": None, "moderated_by": delegation.created_by,
                "rationale": (f"{source} (decision {decision_id}) as {label}: a mean of "
                              f"{value} out of {result['score_max']}, {score} out of "
                              f"{criterion.max_score}"
                              f"{' on the published scale' if scales[criterion.pk] else ''}.")})
            written[str(criterion.pk)] = [score, None]
        audit_record(actor=actor, action="score.moderate", obj=bid,
                     organisation_id=tender.authority_id,
                     summary=f"{source}: moderated scores recorded for the bid from "
                             f"{bid.organisation.name}",
                     changes={**written, "decision_id": decision_id, "label": label})
    delegation.status = CitizensDelegation.Status.SCORED
    delegation.save(update_fields=["status", "applied_at"])
    audit_record(actor=actor, action="tender.delegation_scored", obj=tender,
                 organisation_id=tender.authority_id,
                 summary=f"{source}: its scores for question{'s' if ',' in questions else ''} "
                         f"{questions} are the moderated scores",
                 changes={"decision_id": decision_id})
    notify(recipients=list(runners_of(tender.authority)),
           subject=f"The citizens' panel has scored {tender.title}",
           body=f"{source}: questions {questions} are moderated.",
           url=reverse("commissioning:evaluation", args=[tender.pk]))
    return delegation


def on_decision_closed(sender, *, decision_id: int, reference: str, **kwargs) -> None:
    """Receiver of ``citizens.signals.decision_closed`` for the decisions we asked for.

    The scores are written by a task queued in the closing transaction (the outbox): the
    vote closes whatever happens to the tender, and the write-back is retried until done
    (``delegation_apply`` is idempotent)."""
    if reference.startswith(REFERENCE_PREFIX):
        enqueue(APPLY_TASK, decision_id)


@transaction.atomic
def member_declare(*, actor, delegation: CitizensDelegation, has_conflict: bool,
                   organisations=(), details: str = ""):
    """A panel member's declaration for the tender, before any answer is shown.

    A conflict with any bidder stands them aside from the whole decision: a score ballot marks
    every bid, so they cannot leave one out."""
    from commissioning.services.evaluation import conflict_declare

    if not rules.has_perm("commissioning.score_delegated", actor, delegation):
        raise PermissionDenied("Only the citizens' panel's members declare here.")
    declaration = conflict_declare(tender=delegation.tender, actor=actor,
                                   has_conflict=has_conflict, organisations=organisations,
                                   details=details)
    named = {o.pk for o in organisations}
    bids = assessable_bids(delegation.tender).filter(pk__in=[
        int(pk) for pk in delegation.bid_labels]).prefetch_related("members")
    if has_conflict and any(named & bid_organisation_ids(b) for b in bids):
        # Already voted: the declaration stands and the commissioners are told.
        with contextlib.suppress(ValidationError):
            voter_recuse(decision_id=delegation.decision_id, user=actor,
                         reason="a declared conflict of interest with a bidder")
    return declaration


@transaction.atomic
def delegation_recall(*, actor, delegation: CitizensDelegation, reason: str
                      ) -> CitizensDelegation:
    """Take delegated questions back before the panel's vote opens: its draft decision is
    withdrawn and the questions go back to the evaluators."""
    if not rules.has_perm("commissioning.recall_delegation", actor, delegation):
        raise PermissionDenied("Only the tender's commissioners take questions back.")
    delegation = (CitizensDelegation.objects.select_for_update().select_related("tender")
                  .get(pk=delegation.pk))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the questions are taken back: the panel's "
                                         "facilitators are told."})
    if delegation.status != CitizensDelegation.Status.WITH_PANEL:
        raise ValidationError("These questions are no longer with the panel.")
    try:
        decision_withdraw(actor=actor, decision_id=delegation.decision_id, reason=reason)
    except ValidationError:
        raise ValidationError("The panel's vote has opened, so the questions cannot be taken "
                              "back: the panel's scores count when its vote closes, or the "
                              "questions return to the evaluators if it is not quorate.") from None
    return _hand_back(
        delegation, actor=actor, action="tender.delegation_recalled",
        why=f"Taken back from the citizens' panel “{delegation.panel_title}” before its vote "
            f"opened ({reason})",
        changes={"decision_id": delegation.decision_id, "reason": reason})


def _hand_back(delegation: CitizensDelegation, *, actor, action: str, why: str, changes: dict,
               also_tell=()) -> CitizensDelegation:
    """The questions go back to the evaluators (audited, the evaluators told)."""
    tender = delegation.tender
    numbers = ", ".join(str(q.number) for q in delegation.questions.order_by("number"))
    delegation.status = CitizensDelegation.Status.RETURNED
    delegation.applied_at = timezone.now()
    delegation.message = (f"{why}: the evaluators score question"
                          f"{'s' if ',' in numbers else ''} {numbers} as usual.")
    delegation.save(update_fields=["status", "message", "applied_at"])
    audit_record(actor=actor, action=action, obj=tender, organisation_id=tender.authority_id,
                 summary=delegation.message, changes=changes)
    notify(recipients=[*(m.user for m in panel_of(tender)), *also_tell],
           subject=f"Score questions {numbers} of {tender.title}",
           body=delegation.message,
           url=reverse("commissioning:evaluation", args=[tender.pk]))
    return delegation


@transaction.atomic
def delegation_summaries_save(*, actor, delegation: CitizensDelegation,
                              summaries: dict[tuple[int, int], str]) -> int:
    """Save easy-read summaries of the delegated answers, keyed by (bid id, question id).

    Written by the tender's commissioners (who read the answers, audited) for the panel's
    members to read beside each answer; fixed once the panel's vote opens, so every member
    scores what the others read. A blank summary removes one. Returns how many now stand."""
    if not rules.has_perm("commissioning.summarise_delegated", actor, delegation):
        raise PermissionDenied("Only the tender's commissioners without a conflict of "
                               "interest summarise the answers.")
    delegation = CitizensDelegation.objects.select_for_update().get(pk=delegation.pk)
    if not summaries_open(delegation):
        raise ValidationError("The panel's vote has opened: the summaries its members read "
                              "cannot change now.")
    bids = {int(pk) for pk in delegation.bid_labels}
    questions = set(delegation.questions.values_list("pk", flat=True))
    errors = {}
    for (bid_id, question_id), text in summaries.items():
        if bid_id not in bids or question_id not in questions:
            raise ValidationError("Summarise the answers delegated to the panel only.")
        if len((text or "").strip()) > SUMMARY_MAX_CHARS:
            errors[f"summary_{bid_id}_{question_id}"] = (
                f"Keep the summary to {SUMMARY_MAX_CHARS} characters or fewer")
    if errors:
        raise ValidationError(errors)
    for (bid_id, question_id), text in summaries.items():
        text = (text or "").strip()
        if text:
            DelegatedAnswerSummary.objects.update_or_create(
                delegation=delegation, bid_id=bid_id, question_id=question_id,
                defaults={"text": text, "written_by": actor})
        else:
            DelegatedAnswerSummary.objects.filter(delegation=delegation, bid_id=bid_id,
                                                  question_id=question_id).delete()
    count = delegation.summaries.count()
    audit_record(actor=actor, action="tender.delegation_summarised", obj=delegation.tender,
                 organisation_id=delegation.tender.authority_id,
                 summary=f"Easy-read summaries for the citizens' panel “{delegation.panel_title}"
                         f"”: {count} of {len(bids) * len(questions)} written",
                 changes={"decision_id": delegation.decision_id, "summaries": count})
    return count
