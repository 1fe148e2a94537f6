"""The evaluation panel, conflict declarations, individual scores and moderation.

Price is never scored by people: the formula does it from the unsealed price (see
``commissioning.selectors.evaluation.ranking``).
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.models import (
    AwardCriterion,
    Bid,
    ConflictDeclaration,
    ModeratedScore,
    Score,
    Tender,
    TenderEvaluator,
)
from commissioning.permissions.evaluation import forget_declarations, forget_panel_seats
from commissioning.selectors.evaluation import (
    evaluator_criteria,
    panel_candidates,
    panel_progress,
    runners_of,
)
from core.audit import audit_record
from core.notifications import notify

Kind = AwardCriterion.Kind


@transaction.atomic
def evaluator_add(*, tender: Tender, actor, user, is_moderator: bool = False) -> TenderEvaluator:
    """Put one of the authority's evaluators or commissioners on the tender's panel."""
    if not rules.has_perm("commissioning.manage_panel", actor, tender):
        raise PermissionDenied("Only the tender's commissioners can choose the panel.")
    if tender.status in ("awarding", "standstill", "contracted", "cancelled"):
        raise ValidationError("The panel cannot change once the award decision is being made.")
    if not panel_candidates(tender).filter(pk=user.pk).exists():
        raise ValidationError({"user": "Choose an evaluator or commissioner of the authority "
                                       "who is not already on the panel."})
    member = TenderEvaluator.objects.create(tender=tender, user=user, is_moderator=is_moderator)
    forget_panel_seats(user)
    forget_panel_seats(actor)
    audit_record(actor=actor, action="panel.add", obj=tender,
                 summary=f"{user} joined the evaluation panel"
                 + (" as moderator" if is_moderator else ""),
                 changes={"user": user.pk, "is_moderator": is_moderator},
                 organisation_id=tender.authority_id)
    notify(recipients=[user], subject=f"You are on the evaluation panel: {tender.title}",
           body=f"You were added to the panel for {tender.reference} {tender.title}. Declare "
           "any conflict of interest before you look at the bids.",
           url=reverse("commissioning:conflicts", args=[tender.pk]))
    return member


@transaction.atomic
def evaluator_remove(*, member: TenderEvaluator, actor) -> None:
    """Take someone off the panel; scores they submitted stay on record."""
    tender = member.tender
    if not rules.has_perm("commissioning.manage_panel", actor, tender):
        raise PermissionDenied("Only the tender's commissioners can choose the panel.")
    if tender.status in ("awarding", "standstill", "contracted", "cancelled"):
        raise ValidationError("The panel cannot change once the award decision is being made.")
    audit_record(actor=actor, action="panel.remove", obj=tender,
                 summary=f"{member.user} left the evaluation panel",
                 changes={"user": member.user_id}, organisation_id=tender.authority_id)
    member.delete()
    forget_panel_seats(member.user)
    forget_panel_seats(actor)


@transaction.atomic
def conflict_declare(*, tender: Tender, actor, has_conflict: bool, organisations=(),
                     details: str = "") -> ConflictDeclaration:
    """Record a declaration (a new one each time, so the history is kept)."""
    if not rules.has_perm("commissioning.declare_conflict", actor, tender):
        raise PermissionDenied("Only the panel and the tender's commissioners declare conflicts.")
    organisations = list(organisations)
    errors = {}
    if has_conflict and not organisations:
        errors["organisations"] = "Choose the organisations you have a conflict with."
    if has_conflict and not details.strip():
        errors["details"] = "Describe the conflict of interest."
    if errors:
        raise ValidationError(errors)
    declaration = ConflictDeclaration.objects.create(
        tender=tender, evaluator=actor, has_conflict=has_conflict, details=details.strip())
    if has_conflict:
        declaration.conflicted_organisations.set(organisations)
    forget_declarations(actor)
    names = ", ".join(o.name for o in organisations)
    audit_record(actor=actor, action="conflict.declare", obj=tender,
                 summary=(f"Conflict of interest declared with {names}" if has_conflict
                          else "No conflict of interest declared"),
                 changes={"has_conflict": has_conflict,
                          "organisations": [o.pk for o in organisations]},
                 organisation_id=tender.authority_id)
    if has_conflict:
        notify(recipients=[p for p in runners_of(tender.authority) if p.pk != actor.pk],
               subject=f"Conflict of interest declared: {tender.title}",
               body=f"{actor} declared a conflict of interest with {names} for "
               f"{tender.reference}. They cannot see or score those bids. Review the conflicts "
               "assessment.", url=reverse("commissioning:panel", args=[tender.pk]))
    return declaration


@dataclass(frozen=True)
class ScoreEntry:
    score: int | None = None
    passed: bool | None = None
    rationale: str = ""


def _check_entry(criterion: AwardCriterion, entry: ScoreEntry, *, complete: bool) -> str:
    if criterion.kind == Kind.PASS_FAIL:
        if complete and entry.passed is None:
            return "Choose pass or fail."
    elif entry.score is not None:
        allowed = {p.score for p in criterion.scale.all()} or set(range(criterion.max_score + 1))
        if entry.score not in allowed:
            return f"Choose a score on the scale from 0 to {criterion.max_score}."
    elif complete:
        return "Choose a score."
    if complete and not entry.rationale.strip():
        return "Explain the score with reference to the bid and the scale."
    return ""


def _validate(criteria, entries: dict[int, ScoreEntry], *, complete: bool) -> None:
    errors = {}
    for criterion in criteria:
        problem = _check_entry(criterion, entries.get(criterion.pk, ScoreEntry()),
                               complete=complete)
        if problem:
            errors[f"criterion_{criterion.pk}"] = problem
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def scores_save(*, bid: Bid, actor, entries: dict[int, ScoreEntry], submit: bool) -> list[Score]:
    """Save an evaluator's scores for a bid; submitting needs every criterion and locks them."""
    if not rules.has_perm("commissioning.score_bid", actor, bid):
        raise PermissionDenied("You cannot score this bid.")
    if Score.objects.filter(bid=bid, evaluator=actor, submitted_at__isnull=False).exists():
        raise ValidationError("You have already submitted your scores for this bid.")
    criteria = evaluator_criteria(bid.tender)  # a citizens' panel scores the delegated ones
    _validate(criteria, entries, complete=submit)
    now = timezone.now() if submit else None
    saved = []
    for criterion in criteria:
        entry = entries.get(criterion.pk, ScoreEntry())
        score, _ = Score.objects.update_or_create(
            bid=bid, criterion=criterion, evaluator=actor,
            defaults={"score": entry.score, "passed": entry.passed,
                      "rationale": entry.rationale.strip(), "submitted_at": now})
        saved.append(score)
    audit_record(actor=actor, action="score.submit" if submit else "score.save", obj=bid,
                 summary=("Scores submitted" if submit else "Draft scores saved")
                 + f" for the bid from {bid.organisation.name}",
                 changes={str(s.criterion_id): [s.score, s.passed] for s in saved},
                 organisation_id=bid.tender.authority_id)
    if submit:
        _tell_moderators_when_ready(bid)
    return saved


def _tell_moderators_when_ready(bid: Bid) -> None:
    _done, waiting = panel_progress(bid)
    if waiting:
        return
    moderators = [m.user for m in bid.tender.evaluators.filter(is_moderator=True)
                  .select_related("user")] or list(runners_of(bid.tender.authority))
    notify(recipients=moderators, subject=f"Ready for moderation: {bid.tender.title}",
           body=f"Every panel member has scored the bid from {bid.organisation.name} for "
           f"{bid.tender.reference}. It is ready for moderation.",
           url=reverse("commissioning:bid_scores", args=[bid.pk]))


@transaction.atomic
def moderation_save(*, bid: Bid, actor, entries: dict[int, ScoreEntry]) -> list[ModeratedScore]:
    """Record the consensus score and reason per criterion; individual scores stay."""
    if not rules.has_perm("commissioning.moderate_bid", actor, bid):
        raise PermissionDenied("Only the panel's moderator or a commissioner can moderate.")
    _done, waiting = panel_progress(bid)
    if waiting:
        names = ", ".join(str(p) for p in waiting)
        raise ValidationError(f"Wait until every panel member has submitted their scores "
                              f"(still to submit: {names}).")
    criteria = evaluator_criteria(bid.tender)  # the panel's scores are written on its close
    _validate(criteria, entries, complete=True)
    saved = []
    for criterion in criteria:
        entry = entries[criterion.pk]
        moderated, _ = ModeratedScore.objects.update_or_create(
            bid=bid, criterion=criterion,
            defaults={"score": entry.score, "passed": entry.passed,
                      "rationale": entry.rationale.strip(), "moderated_by": actor})
        saved.append(moderated)
    audit_record(actor=actor, action="score.moderate", obj=bid,
                 summary=f"Moderated scores recorded for the bid from {bid.organisation.name}",
                 changes={str(m.criterion_id): [m.score, m.passed] for m in saved},
                 organisation_id=bid.tender.authority_id)
    return saved
