"""Assessment: assigning assessors, the conflict gate, scoring, moderation and panel decisions.

The conflict gate is a hard one: an assessor sees nothing of a round's applications until they
have declared their conflicts, and never sees an application they declared a conflict with
(rules.may_see_as_assessor, enforced by every accessor and by these services).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.notifications import notify
from core.workflows import transition
from grants.models import (
    Application,
    Assessment,
    AssessorAssignment,
    ConflictDeclaration,
    CriterionScore,
    Moderation,
    PanelDecision,
    Round,
)
from grants.workflows import APPLICATION
from organisations.models import AUTHORITY_ROLES
from organisations.selectors import admins_of, roles_of


def _require_manager(actor, obj) -> None:
    if not actor.has_perm("grants.manage_round" if isinstance(obj, Round)
                          else "grants.manage_application", obj):
        raise PermissionDenied("Only the authority's grant managers can do that.")


@transaction.atomic
def assessor_assign(*, actor, round_: Round, assessor) -> AssessorAssignment:
    _require_manager(actor, round_)
    if not roles_of(user=assessor, organisation=round_.programme.authority) & AUTHORITY_ROLES:
        raise ValidationError("Assessors must be staff of the authority running the round.")
    assignment, created = AssessorAssignment.objects.get_or_create(
        round=round_, assessor=assessor, defaults={"assigned_by": actor})
    if created:
        audit_record(actor=actor, action="grant_round.assessor_assigned", obj=round_,
                     organisation_id=round_.programme.authority_id,
                     summary=f"Assigned {assessor.email} as an assessor")
        notify(recipients=[assessor], subject=f"You are an assessor for {round_.title}",
               body="Declare any conflicts of interest before you see the applications.",
               url=reverse("grants:assessor_declare", args=[round_.pk]))
    return assignment


@transaction.atomic
def conflicts_declare(*, actor, round_: Round, conflicts: dict[int, str]) -> AssessorAssignment:
    """Record the assessor's declaration: {application id: reason} for each conflict.

    A declaration can add conflicts later, never remove one (the record stays).
    """
    assignment = (AssessorAssignment.objects.select_for_update()
                  .filter(round=round_, assessor=actor).first())
    if assignment is None:
        raise PermissionDenied("You are not an assessor for this round.")
    known = set(round_.applications.values_list("pk", flat=True))
    for application_id, reason in conflicts.items():
        if application_id not in known:
            raise ValidationError("That application is not in this round.")
        if not (reason or "").strip():
            raise ValidationError("Say what the conflict of interest is for each one you tick.")
        ConflictDeclaration.objects.get_or_create(
            assignment=assignment, application_id=application_id,
            defaults={"reason": reason.strip()})
    if assignment.declared_at is None:
        assignment.declared_at = timezone.now()
        assignment.save(update_fields=["declared_at", "updated_at"])
    audit_record(actor=actor, action="grant_round.conflicts_declared", obj=round_,
                 organisation_id=round_.programme.authority_id,
                 summary=f"Declared {len(conflicts)} conflict(s) of interest",
                 changes={"conflicts": sorted(conflicts)})
    return assignment


def weighted_total(criteria, scores: dict[int, int]) -> Decimal:
    """The weighted score out of 100: Σ weight × score / max score."""
    total = sum((Decimal(c.weight) * Decimal(scores[c.pk]) / Decimal(c.max_score)
                 for c in criteria), Decimal("0"))
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def assessment_save(*, actor, application: Application, scores: dict[int, dict[str, Any]],
                    recommendation: str, comments: str, submit: bool = False) -> Assessment:
    """Save (and optionally submit) the assessor's scores: {criterion id: {score, comment}}."""
    if not actor.has_perm("grants.assess_application", application):
        raise PermissionDenied("You cannot assess this application.")
    assessment, _ = Assessment.objects.select_for_update().get_or_create(
        application=application, assessor=actor)
    if assessment.submitted_at is not None:
        raise ValidationError("You have already submitted this assessment.")
    criteria = list(application.round.criteria.order_by("number"))
    problems = []
    for criterion in criteria:
        entry = scores.get(criterion.pk) or {}
        score, comment = entry.get("score"), (entry.get("comment") or "").strip()
        if score is None:
            if submit:
                problems.append(f"Score criterion {criterion.number}: {criterion.title}.")
            continue
        if not 0 <= int(score) <= criterion.max_score:
            problems.append(f"Criterion {criterion.number}: score from 0 to "
                            f"{criterion.max_score}.")
            continue
        if submit and not comment:
            problems.append(f"Criterion {criterion.number}: say why you gave this score.")
        CriterionScore.objects.update_or_create(
            assessment=assessment, criterion=criterion,
            defaults={"score": int(score), "comment": comment})
    if submit and not recommendation:
        problems.append("Make a recommendation.")
    if problems:
        raise ValidationError(problems)
    assessment.recommendation, assessment.comments = recommendation, comments.strip()
    if submit:
        given = dict(assessment.scores.values_list("criterion_id", "score"))
        assessment.total = weighted_total(criteria, given)
        assessment.submitted_at = timezone.now()
    assessment.save()
    audit_record(actor=actor, action="grant_assessment.submitted" if submit
                 else "grant_assessment.saved", obj=application,
                 organisation_id=application.round.programme.authority_id,
                 summary=f"{'Submitted' if submit else 'Saved'} an assessment",
                 changes={"total": assessment.total, "recommendation": recommendation})
    return assessment


@transaction.atomic
def moderation_record(*, actor, application: Application, score: Decimal,
                      notes: str) -> Moderation:
    _require_manager(actor, application)
    if not application.assessments.filter(submitted_at__isnull=False).exists():
        raise ValidationError("Moderate once at least one assessment is submitted.")
    if not Decimal("0") <= score <= Decimal("100"):
        raise ValidationError({"score": "A moderated score is from 0 to 100."})
    if not notes.strip():
        raise ValidationError({"notes": "Record why the panel settled on this score."})
    moderation, _ = Moderation.objects.update_or_create(
        application=application, defaults={"score": score, "notes": notes.strip(),
                                            "moderated_by": actor})
    audit_record(actor=actor, action="grant_application.moderated", obj=application,
                 organisation_id=application.round.programme.authority_id,
                 summary=f"Moderated score {score}", changes={"score": score})
    return moderation


@transaction.atomic
def decision_record(*, actor, application: Application, outcome: str, rationale: str,
                    feedback: str, amount: Decimal | None = None,
                    external_recommendation: dict | None = None) -> PanelDecision:
    """Record the panel's decision on one application (approved separately, by a non-assessor).

    `external_recommendation` keeps a recommendation received from elsewhere, such as a
    citizens' panel's allocation, with its source and reference.
    """
    _require_manager(actor, application)
    if application.status != "eligible":
        raise ValidationError("Only an application in assessment can be decided.")
    valid = {"eoi": {"invite", "reject"}, "full": {"fund", "reject"}}[application.stage]
    if outcome not in valid:
        raise ValidationError({"outcome": "Choose a decision for this stage."})
    if not rationale.strip():
        raise ValidationError({"rationale": "Record the panel's rationale."})
    if not feedback.strip():
        raise ValidationError({"feedback": "Write feedback for the applicant."})
    round_ = application.round
    if outcome == "fund":
        if amount is None or amount <= 0:
            raise ValidationError({"amount": "Give the amount to award."})
        if not round_.min_amount <= amount <= round_.max_amount:
            raise ValidationError({"amount": "The amount must be within the round's limits."})
    existing = PanelDecision.objects.filter(application=application).first()
    if existing and existing.approved_at:
        raise ValidationError("This decision is approved and cannot change.")
    decision, _ = PanelDecision.objects.update_or_create(application=application, defaults={
        "outcome": outcome, "rationale": rationale.strip(), "feedback": feedback.strip(),
        "amount": amount if outcome == "fund" else None, "recorded_by": actor,
        "external_recommendation": external_recommendation or {}})
    audit_record(actor=actor, action="grant_decision.recorded", obj=application,
                 organisation_id=round_.programme.authority_id,
                 summary=f"Panel decision recorded: {decision.get_outcome_display()}",
                 changes={"outcome": outcome, "amount": amount,
                          "external": external_recommendation or {}})
    return decision


@transaction.atomic
def decision_approve(*, actor, decision: PanelDecision) -> PanelDecision:
    """Approve a panel decision: by a grant manager who neither assessed nor recorded it.

    The applicant's status moves on and the decision letter (with feedback) is sent.
    """
    decision = PanelDecision.objects.select_for_update().select_related(
        "application__round__programme", "application__organisation").get(pk=decision.pk)
    application = decision.application
    _require_manager(actor, application)
    if decision.approved_at:
        raise ValidationError("This decision is already approved.")
    if actor.pk == decision.recorded_by_id:
        raise ValidationError("Someone other than the person who recorded the decision must "
                              "approve it.")
    if AssessorAssignment.objects.filter(round=application.round, assessor=actor).exists():
        raise ValidationError("An assessor of this round cannot approve its decisions.")
    decision.approved_by, decision.approved_at = actor, timezone.now()
    decision.save(update_fields=["approved_by", "approved_at", "updated_at"])
    name = {"invite": "invite", "fund": "succeed"}.get(decision.outcome)
    name = name or ("not_invite" if application.stage == "eoi" else "fail")
    transition(obj=application, workflow=APPLICATION, name=name, actor=actor,
               reason=decision.rationale,
               organisation_id=application.round.programme.authority_id)
    _send_letter(decision)
    return decision


def _send_letter(decision: PanelDecision) -> None:
    application = decision.application
    outcome = {"invite": "You are invited to send a full application.",
               "fund": "We are pleased to offer you a grant.",
               "reject": "We are sorry: your application has not been successful."}[
        decision.outcome]
    notify(recipients=admins_of(organisation=application.organisation),
           subject=f"Decision on {application.reference}",
           body=f"{outcome}\n\nFeedback from the panel:\n{decision.feedback}",
           url=reverse("grants:application_letter", args=[application.pk]))
    PanelDecision.objects.filter(pk=decision.pk).update(letter_sent_at=timezone.now())
