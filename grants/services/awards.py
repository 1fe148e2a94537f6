"""Awards: making them (from a panel decision, or directly), the offer, agreement, due diligence.

`grant_direct_award` is the door other apps use (a mutual's support grant is a direct award):
it runs the same GovS 015 rules and the same agreement, payment, monitoring and open-data
machinery as a competed grant.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.notifications import notify
from core.workflows import transition
from grants import govs015
from grants.duediligence import source_names
from grants.models import (
    Agreement,
    Application,
    Award,
    AwardMeasure,
    DueDiligenceCheck,
    OfferCondition,
    Programme,
    RepaymentTerms,
    Round,
)
from grants.services.monitoring import schedule_reports
from grants.services.social_value import award_ledger_open
from grants.workflows import AWARD
from organisations.selectors import admins_of


def _require_manager(actor, obj) -> None:
    perm = "grants.manage_round" if isinstance(obj, Round) else "grants.manage_award"
    if not actor.has_perm(perm, obj):
        raise PermissionDenied("Only the authority's grant managers can do that.")


def _next_reference(round_: Round) -> str:
    # The programme row is locked so that two awards made at once never take the same number.
    Programme.objects.select_for_update().filter(pk=round_.programme_id).first()
    count = Award.objects.filter(programme=round_.programme).count() + 1
    return f"{round_.programme.code.upper()}-{count:05d}"


def _measures_from(application: Application | None) -> list[tuple[int, Decimal]]:
    if application is None:
        return []
    rows = []
    for answer in application.answers.filter(question__kind="outcomes"):
        for row in answer.value or []:
            rows.append((int(row["measure"]), Decimal(str(row["target"]))))
    return rows


def _create(*, actor, round_: Round, recipient, amount: Decimal, title: str, description: str,
            planned_start: datetime.date, planned_end: datetime.date, application=None,
            justification: str = "", justifications=None, repayment: dict | None = None,
            conditions: list[str] | None = None, measures=None) -> Award:
    award = Award.objects.create(
        round=round_, programme=round_.programme, application=application, recipient=recipient,
        reference=_next_reference(round_), title=title, description=description,
        instrument=round_.instrument, from_open_call=round_.kind != "direct",
        direct_award_justification=justification,
        amount_requested=application.amount_requested if application else amount,
        amount_awarded=amount, awarded_on=timezone.localdate(), planned_start=planned_start,
        planned_end=planned_end, decided_by=actor,
        beneficiary_postcode=(application.beneficiary_postcode if application else "")
        or recipient.postcode)
    AwardMeasure.objects.bulk_create(
        [AwardMeasure(award=award, measure_id=m, target=t)
         for m, t in (measures if measures is not None else _measures_from(application))])
    for text in conditions or []:
        OfferCondition.objects.create(award=award, text=text)
    if round_.instrument == "repayable":
        _repayment_terms(award, repayment or {})
    automatic = {"mr5_competed": justification} if justification else {}
    govs015.enforce(transition=govs015.MAKE_AWARD, subject=award, programme=round_.programme,
                    actor=actor, justifications=justifications, automatic=automatic)
    _agreement_produce(award)
    audit_record(actor=actor, action="grant_award.made", obj=award,
                 organisation_id=round_.programme.authority_id,
                 summary=f"Offered {recipient.name} £{amount:,.2f}",
                 changes={"amount": amount, "from_open_call": award.from_open_call})
    notify(recipients=admins_of(organisation=recipient), subject=f"Grant offer {award.reference}",
           body=f"{round_.programme.authority.name} offers {recipient.name} a grant of "
                f"£{amount:,.2f} for {title}. Read and accept the grant agreement online.",
           url=reverse("grants:award_detail", args=[award.pk]))
    return award


def _repayment_terms(award: Award, data: dict) -> None:
    trigger = data.get("trigger", "profit")
    threshold = data.get("revenue_threshold")
    if trigger == "revenue" and not threshold:
        raise ValidationError({"revenue_threshold": "Give the revenue that triggers repayment."})
    RepaymentTerms.objects.create(award=award, trigger=trigger, revenue_threshold=threshold,
                                  instalments=data.get("instalments", 12))


def _agreement_produce(award: Award) -> Agreement:
    round_ = award.round
    text = "\n\n".join([
        f"Grant agreement {award.reference}",
        f"Between {round_.programme.authority.name} (the funder) and {award.recipient.name} "
        "(the recipient).",
        f"Maximum sum: £{award.amount_awarded:,.2f}, as a "
        f"{award.get_instrument_display().lower()}, for: {award.title}.",
        f"Funded activities from {award.planned_start:%d %B %Y} to "
        f"{award.planned_end:%d %B %Y}. Payments are made in arrears against claims and "
        "milestones unless an advance is agreed for a recorded need.",
        f"Monitoring reports every {round_.reporting_every_months} months, and an annual "
        "review of spend and delivery that decides whether funding continues.",
        *([f"Conditions: {'; '.join(c.text for c in award.conditions.all())}"]
          if award.conditions.exists() else []),
        "Terms:", round_.agreement_terms,
    ])
    return Agreement.objects.create(award=award, text=text,
                                    sha256=hashlib.sha256(text.encode()).hexdigest())


@transaction.atomic
def award_make(*, actor, application: Application, planned_start: datetime.date,
               planned_end: datetime.date, conditions: list[str] | None = None,
               justifications: dict[str, str] | None = None,
               repayment: dict | None = None) -> Award:
    """Offer the grant the panel approved for a successful application."""
    application = Application.objects.select_for_update().select_related(
        "round__programme__authority", "organisation").get(pk=application.pk)
    _require_manager(actor, application.round)
    decision = getattr(application, "decision", None)
    if application.status != "successful" or decision is None or decision.outcome != "fund":
        raise ValidationError("Only an application approved for funding can be awarded.")
    if Award.objects.filter(application=application).exists():
        raise ValidationError("This application already has an award.")
    return _create(actor=actor, round_=application.round, recipient=application.organisation,
                   amount=decision.amount, title=application.project_title,
                   description=application.project_summary, planned_start=planned_start,
                   planned_end=planned_end, application=application,
                   justifications=justifications, repayment=repayment,
                   conditions=conditions)


@transaction.atomic
def grant_direct_award(*, actor, round: Round, organisation, amount: Decimal,  # noqa: A002
                       justification: str, title: str, description: str,
                       planned_start: datetime.date, planned_end: datetime.date,
                       conditions: list[str] | None = None,
                       measures: list[tuple[int, Decimal]] | None = None,
                       repayment: dict | None = None,
                       justifications: dict[str, str] | None = None) -> Award:
    """Award a grant to `organisation` without competition, with the recorded justification.

    The round must be a published direct-award round; the grant then follows the same
    agreement, payment, monitoring and 360Giving path as any other.
    """
    round_ = Round.objects.select_for_update().select_related("programme__authority").get(
        pk=round.pk)
    _require_manager(actor, round_)
    if round_.kind != "direct" or round_.status != "published":
        raise ValidationError("Direct awards are made under a published direct-award round.")
    if not justification.strip():
        raise ValidationError({"justification": "Record why this grant is not competed."})
    if not round_.min_amount <= amount <= round_.max_amount:
        raise ValidationError({"amount": "The amount must be within the round's limits."})
    if not organisation.is_verified or organisation.is_authority:
        raise ValidationError("Grants go to verified provider organisations.")
    return _create(actor=actor, round_=round_, recipient=organisation, amount=amount,
                   title=title, description=description, planned_start=planned_start,
                   planned_end=planned_end, justification=justification.strip(),
                   justifications=justifications, repayment=repayment,
                   conditions=conditions, measures=measures or [])


@transaction.atomic
def agreement_accept(*, actor, award: Award, name: str, position: str) -> Award:
    """The recipient's authorised person accepts the agreement online: the grant goes live."""
    award = Award.objects.select_for_update().select_related("round", "recipient",
                                                             "programme").get(pk=award.pk)
    if not actor.has_perm("grants.accept_agreement", award):
        raise PermissionDenied("Only an administrator of the recipient can accept.")
    if not (name.strip() and position.strip()):
        raise ValidationError("Give your full name and your position.")
    agreement = Agreement.objects.select_for_update().get(award=award)
    if agreement.accepted_at:
        raise ValidationError("The agreement has already been accepted.")
    agreement.accepted_at, agreement.accepted_by = timezone.now(), actor
    agreement.accepted_name, agreement.accepted_position = name.strip(), position.strip()
    agreement.save()
    transition(obj=award, workflow=AWARD, name="accept", actor=actor,
               organisation_id=award.recipient_id)
    schedule_reports(award=award)
    award_ledger_open(actor=actor, award=award)
    audit_record(actor=actor, action="grant_agreement.accepted", obj=award,
                 organisation_id=award.recipient_id,
                 summary=f"Agreement accepted by {agreement.accepted_name}",
                 changes={"sha256": agreement.sha256})
    return award


@transaction.atomic
def offer_decline(*, actor, award: Award, reason: str) -> Award:
    if not actor.has_perm("grants.accept_agreement", award):
        raise PermissionDenied
    transition(obj=award, workflow=AWARD, name="decline", actor=actor, reason=reason,
               organisation_id=award.recipient_id)
    return award


@transaction.atomic
def condition_meet(*, actor, condition: OfferCondition, evidence: str) -> OfferCondition:
    _require_manager(actor, condition.award)
    if not evidence.strip():
        raise ValidationError({"evidence": "Say how the condition was met."})
    condition.met_at, condition.met_by, condition.evidence = timezone.now(), actor, evidence
    condition.save()
    audit_record(actor=actor, action="grant_award.condition_met", obj=condition.award,
                 organisation_id=condition.award.programme.authority_id,
                 summary=f"Condition met: {condition.text[:200]}")
    return condition


@transaction.atomic
def due_diligence_record(*, actor, award: Award, kind: str, outcome: str, notes: str,
                         evidence=None, source: str = "manual") -> DueDiligenceCheck:
    """Record what was checked about the recipient, by whom, when, with what evidence."""
    _require_manager(actor, award)
    if source not in source_names():
        raise ValidationError("Unknown due diligence source.")
    if not notes.strip():
        raise ValidationError({"notes": "Say what you checked and what you found."})
    check = DueDiligenceCheck.objects.create(
        award=award, kind=kind, outcome=outcome, notes=notes.strip(), evidence=evidence,
        source=source, checked_by=actor, checked_at=timezone.now())
    audit_record(actor=actor, action="grant_award.due_diligence", obj=award,
                 organisation_id=award.programme.authority_id,
                 summary=f"Due diligence ({check.get_kind_display()}): "
                         f"{check.get_outcome_display()}")
    return check


@transaction.atomic
def award_mark_published(*, award_ids: list[int]) -> int:
    """Mark awards as published in the open data (the first time they appear)."""
    return Award.objects.filter(pk__in=award_ids, published_at__isnull=True).update(
        published_at=timezone.now())
