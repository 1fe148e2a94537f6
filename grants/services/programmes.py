"""Programmes, pooled contributions, rounds and the forms managers compose."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.workflows import transition
from grants import govs015
from grants.models import (
    Criterion,
    FundingContribution,
    Instrument,
    InvitedOrganisation,
    Programme,
    Question,
    Round,
)
from grants.workflows import ROUND

PROGRAMME_FIELDS = ("title", "code", "summary", "objectives", "outcomes", "total_budget",
                    "ggis_scheme_id", "instruments", "senior_officer", "business_case",
                    "business_case_approved_by", "business_case_approved_on",
                    "risk_assessment", "fraud_risk_assessed_on", "performance_measures")
ROUND_FIELDS = ("title", "summary", "description", "who_can_apply", "how_to_apply", "kind",
                "direct_award_justification", "instrument", "is_two_stage", "budget",
                "min_amount", "max_amount", "opens_at", "closes_at", "full_closes_at",
                "eligible_legal_forms", "eligible_postcode_areas", "max_annual_income",
                "require_registration", "max_live_grants", "agreement_terms",
                "reporting_every_months")


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied("Only the authority's grant managers can do that.")


def _full_clean(obj) -> None:
    obj.full_clean(exclude=["created_by", "programme", "authority"])


@transaction.atomic
def programme_create(*, actor, authority, data: dict[str, Any]) -> Programme:
    """Create a programme of `authority` from the manager's form data."""
    _require(actor, "grants.manage_authority", authority)
    programme = Programme(authority=authority, created_by=actor, status="active",
                          **{k: data[k] for k in PROGRAMME_FIELDS if k in data})
    _check_instruments(programme.instruments)
    _full_clean(programme)
    programme.save()
    audit_record(actor=actor, action="grant_programme.created", obj=programme,
                 organisation_id=authority.pk, summary=f"Created programme {programme.title}")
    return programme


@transaction.atomic
def programme_update(*, actor, programme: Programme, data: dict[str, Any]) -> Programme:
    _require(actor, "grants.manage_programme", programme)
    before = {k: getattr(programme, k) for k in PROGRAMME_FIELDS}
    for key in PROGRAMME_FIELDS:
        if key in data:
            setattr(programme, key, data[key])
    _check_instruments(programme.instruments)
    _full_clean(programme)
    programme.save()
    changed = {k: [before[k], getattr(programme, k)] for k in PROGRAMME_FIELDS
               if before[k] != getattr(programme, k)}
    audit_record(actor=actor, action="grant_programme.updated", obj=programme,
                 organisation_id=programme.authority_id, changes=changed,
                 summary=f"Changed programme {programme.title}")
    return programme


def _check_instruments(values) -> None:
    if not values or set(values) - set(Instrument.values):
        raise ValidationError({"instruments": "Choose at least one funding instrument."})


@transaction.atomic
def contribution_add(*, actor, programme: Programme, funder, amount, committed_on,
                     notes: str = "") -> FundingContribution:
    """Record one funder's contribution to a pooled programme."""
    _require(actor, "grants.manage_programme", programme)
    if FundingContribution.objects.filter(programme=programme, funder=funder).exists():
        raise ValidationError({"funder": f"{funder.name} already contributes to this programme."})
    if not funder.is_authority:
        raise ValidationError({"funder": "Only public bodies can pool funds here."})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "The amount contributed must be more than £0."})
    contribution = FundingContribution.objects.create(
        programme=programme, funder=funder, amount=amount, committed_on=committed_on,
        notes=notes)
    audit_record(actor=actor, action="grant_programme.contribution_added", obj=programme,
                 organisation_id=programme.authority_id,
                 summary=f"{funder.name} contributes £{amount:,.2f}",
                 changes={"funder": funder.pk, "amount": amount})
    return contribution


@transaction.atomic
def round_create(*, actor, programme: Programme, data: dict[str, Any]) -> Round:
    _require(actor, "grants.manage_programme", programme)
    round_ = Round(programme=programme, created_by=actor,
                   **{k: data[k] for k in ROUND_FIELDS if k in data})
    _check_round(round_)
    round_.save()
    audit_record(actor=actor, action="grant_round.created", obj=round_,
                 organisation_id=programme.authority_id, summary=f"Created round {round_.title}")
    return round_


@transaction.atomic
def round_update(*, actor, round_: Round, data: dict[str, Any]) -> Round:
    _require(actor, "grants.manage_round", round_)
    if round_.status != "draft":
        raise ValidationError("A published round cannot be changed; cancel it and start again.")
    for key in ROUND_FIELDS:
        if key in data:
            setattr(round_, key, data[key])
    _check_round(round_)
    round_.save()
    audit_record(actor=actor, action="grant_round.updated", obj=round_,
                 organisation_id=round_.programme.authority_id,
                 summary=f"Changed round {round_.title}")
    return round_


def _check_round(round_: Round) -> None:
    errors: dict[str, str] = {}
    if round_.instrument not in round_.programme.instruments:
        errors["instrument"] = "The programme does not allow this funding instrument."
    if round_.min_amount > round_.max_amount:
        errors["max_amount"] = "The largest grant must be at least the smallest."
    if round_.max_amount > round_.budget:
        errors["max_amount"] = "The largest grant cannot be more than the round's budget."
    if round_.kind == "direct" and not round_.direct_award_justification.strip():
        errors["direct_award_justification"] = "Say why this grant is not competed."
    if round_.opens_at and round_.closes_at and round_.opens_at >= round_.closes_at:
        errors["closes_at"] = "The round must close after it opens."
    if round_.is_two_stage and round_.kind == "direct":
        errors["is_two_stage"] = "A direct award has no stages."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def criterion_save(*, actor, round_: Round, data: dict[str, Any],
                   criterion: Criterion | None = None) -> Criterion:
    _require(actor, "grants.manage_round", round_)
    _require_draft(round_)
    criterion = criterion or Criterion(round=round_, number=round_.criteria.count() + 1)
    for key in ("title", "guidance", "weight", "max_score", "descriptors"):
        setattr(criterion, key, data[key])
    others = sum(round_.criteria.exclude(pk=criterion.pk).values_list("weight", flat=True))
    if others + criterion.weight > 100:
        raise ValidationError({"weight": f"The weights would add up to "
                                         f"{others + criterion.weight}%: at most 100%."})
    criterion.save()
    audit_record(actor=actor, action="grant_round.criterion_saved", obj=round_,
                 organisation_id=round_.programme.authority_id,
                 summary=f"Criterion {criterion.number}: {criterion.title}")
    return criterion


@transaction.atomic
def question_save(*, actor, round_: Round, data: dict[str, Any],
                  question: Question | None = None) -> Question:
    """Add or change one typed question of a stage of the round's form."""
    _require(actor, "grants.manage_round", round_)
    _require_draft(round_)
    stage = data.get("stage", question.stage if question else "full")
    if stage == "eoi" and not round_.is_two_stage:
        raise ValidationError({"stage": "Only a two-stage round has an expression of interest."})
    if question is None:
        number = round_.questions.filter(stage=stage).count() + 1
        question = Question(round=round_, stage=stage, number=number)
    for key in ("section", "kind", "label", "hint", "required", "word_limit", "choices"):
        if key in data:
            setattr(question, key, data[key])
    if question.kind in ("choice", "multiple") and len(question.choices) < 2:
        raise ValidationError({"choices": "Give at least two choices, one a line."})
    if question.kind != "text":
        question.word_limit = None
    question.save()
    audit_record(actor=actor, action="grant_round.question_saved", obj=round_,
                 organisation_id=round_.programme.authority_id,
                 summary=f"Question {question.stage} {question.number}: {question.label}")
    return question


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    round_ = question.round
    _require(actor, "grants.manage_round", round_)
    _require_draft(round_)
    stage, label = question.stage, question.label
    question.delete()
    for number, q in enumerate(round_.questions.filter(stage=stage).order_by("number"), 1):
        if q.number != number:
            Question.objects.filter(pk=q.pk).update(number=number)
    audit_record(actor=actor, action="grant_round.question_deleted", obj=round_,
                 organisation_id=round_.programme.authority_id, summary=f"Removed: {label}")


def _require_draft(round_: Round) -> None:
    if round_.status != "draft":
        raise ValidationError("The form of a published round cannot change.")


@transaction.atomic
def organisation_invite(*, actor, round_: Round, organisation) -> InvitedOrganisation:
    _require(actor, "grants.manage_round", round_)
    if round_.kind != "closed":
        raise ValidationError("Only a closed round takes invitations.")
    invitation, _ = InvitedOrganisation.objects.get_or_create(
        round=round_, organisation=organisation, defaults={"invited_by": actor})
    audit_record(actor=actor, action="grant_round.invited", obj=round_,
                 organisation_id=round_.programme.authority_id,
                 summary=f"Invited {organisation.name}")
    return invitation


def round_publish(*, actor, round_: Round,
                  justifications: dict[str, str] | None = None) -> Round:
    """Publish the round once its form, criteria and dates are set and GovS 015 allows it."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().select_related("programme").get(pk=round_.pk)
        automatic = ({"mr5_competition": round_.direct_award_justification}
                     if round_.kind == "direct" else {})
        blockers = ROUND.blockers(round_, ROUND.find(round_, "publish"))
        if blockers:
            raise ValidationError(blockers)
        govs015.enforce(transition=govs015.PUBLISH_ROUND, subject=round_,
                        programme=round_.programme, actor=actor,
                        justifications=justifications, automatic=automatic)
        transition(obj=round_, workflow=ROUND, name="publish", actor=actor,
                   organisation_id=round_.programme.authority_id)
        Round.objects.filter(pk=round_.pk).update(published_at=timezone.now())
        round_.refresh_from_db()
    return round_


def round_move(*, actor, round_: Round, name: str, reason: str = "") -> Round:
    """Start assessment, send to panel, close the panel or cancel the round."""
    transition(obj=round_, workflow=ROUND, name=name, actor=actor, reason=reason,
               organisation_id=round_.programme.authority_id)
    return round_
