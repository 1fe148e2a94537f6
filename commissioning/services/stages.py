"""A competitive flexible procedure in stages: design, rounds, shortlist, meetings, refinement.

Each stage before the final tenders is a round: a tender row of its own whose bids are that
stage's submissions (see ``commissioning.models.stages``). Opening a round for submissions,
submitting, the deadline, sealing, receipts, the two-person opening and scoring all use the
single-stage services unchanged; this module adds only what a stage has on top.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.models import (
    Bid,
    CriteriaRefinement,
    DialogueMeeting,
    ProcedureStage,
    ShortlistEntry,
    StagedProcedure,
    Tender,
)
from commissioning.sealing import is_opened
from commissioning.selectors import stages as selectors
from commissioning.selectors.evaluation import bidder_contacts
from commissioning.workflows import TENDER
from core.audit import audit_record
from core.notifications import notify
from core.templatetags.govuk import govuk_date
from core.workflows import transition
from organisations.models import Organisation

DESIGN_FIELDS = ("description", "conditions_of_participation", "selection_criteria",
                 "min_suppliers", "max_suppliers", "negotiation_allowed", "refinement_allowed",
                 "refinement_terms")
ROUND_COPIED = ("summary", "description", "procedure", "contract_type", "is_light_touch",
                "is_reserved_for_mutuals", "estimated_value_ex_vat", "estimated_value_inc_vat",
                "suitable_for_sme", "suitable_for_vcse", "price_formula", "tie_break_rule")


def _require_manager(actor, tender: Tender) -> None:
    if not rules.has_perm("commissioning.manage_tender", actor, tender):
        raise PermissionDenied("Only the authority's commissioners can run this procedure.")


def _audit(actor, action: str, procedure: StagedProcedure, summary: str,
           changes: dict[str, Any] | None = None) -> None:
    audit_record(actor=actor, action=action, obj=procedure.tender, summary=summary,
                 changes=changes, organisation_id=procedure.tender.authority_id)


def _validate_design(procedure: StagedProcedure) -> None:
    if procedure.min_suppliers < 1 or procedure.max_suppliers < procedure.min_suppliers:
        raise ValidationError({"max_suppliers": "The maximum number of suppliers must be at "
                               "least the minimum, and the minimum at least 1."})
    if procedure.refinement_allowed and not procedure.refinement_terms.strip():
        raise ValidationError({"refinement_terms": "Say how award criteria may be refined: the "
                               "tender notice must describe it (s.24)."})


@transaction.atomic
def procedure_design(*, actor, tender: Tender, data: dict[str, Any]) -> StagedProcedure:
    """Describe the stages of a draft competitive flexible procedure (reg 19)."""
    _require_manager(actor, tender)
    if tender.procedure != Tender.Procedure.COMPETITIVE_FLEXIBLE:
        raise ValidationError("Only a competitive flexible procedure can have stages.")
    if tender.status != Tender.Status.DRAFT:
        raise ValidationError("The stages are described in the tender notice: change them "
                              "before it is published.")
    procedure = StagedProcedure.objects.filter(tender=tender).first() or StagedProcedure(
        tender=tender, created_by=actor)
    for name in DESIGN_FIELDS:
        if name in data:
            setattr(procedure, name, data[name])
    _validate_design(procedure)
    procedure.save()
    _audit(actor, "procedure.designed", procedure, f"Described the stages of {tender.reference}",
           {name: getattr(procedure, name) for name in DESIGN_FIELDS})
    return procedure


@transaction.atomic
def stage_add(*, actor, procedure: StagedProcedure, kind: str, title: str,
              deadline: datetime) -> ProcedureStage:
    """Add a stage: its round is a draft tender row whose questions and documents are set up
    with the tender pages, and whose bids are the stage's submissions."""
    tender = procedure.tender
    _require_manager(actor, tender)
    if kind not in ProcedureStage.Kind.values:
        raise ValidationError({"kind": "Choose the kind of stage."})
    stages = selectors.stages_of(procedure)
    if kind == ProcedureStage.Kind.PARTICIPATION and stages:
        raise ValidationError({"kind": "The participation stage is the first stage, and there "
                               "is only one."})
    if kind == ProcedureStage.Kind.NEGOTIATION and not stages:
        raise ValidationError({"kind": "Add the participation stage first."})
    if kind == ProcedureStage.Kind.NEGOTIATION and not procedure.negotiation_allowed:
        raise ValidationError({"kind": "The tender notice does not allow negotiation."})
    if tender.deadline is not None and deadline >= tender.deadline:
        raise ValidationError({"deadline": "A stage must close before the final tenders are "
                               "due."})
    number = len(stages) + 1
    round_tender = Tender(authority=tender.authority, project=tender.project,
                          reference=f"{tender.reference}-S{number}",
                          title=f"{tender.title}: {title}", deadline=deadline,
                          questions_deadline=deadline, created_by=actor)
    for name in ROUND_COPIED:
        setattr(round_tender, name, getattr(tender, name))
    round_tender.save()
    stage = ProcedureStage.objects.create(procedure=procedure, number=number, kind=kind,
                                          title=title, round=round_tender)
    _audit(actor, "procedure.stage_added", procedure,
           f"Added stage {number} ({stage.get_kind_display()}) to {tender.reference}",
           {"round": round_tender.pk, "deadline": deadline.isoformat()})
    return stage


def _open_problems(stage: ProcedureStage, now: datetime) -> list[str]:
    procedure, round_tender = stage.procedure, stage.round
    problems = []
    if procedure.tender.published_at is None:
        problems.append("Publish the tender notice first: it describes the stages.")
    if round_tender.deadline is None or round_tender.deadline <= now:
        problems.append("The stage's deadline must be in the future.")
    if not round_tender.questions.exists() and not round_tender.document_slots.exists():
        problems.append("Add at least one question or requested document to the stage.")
    if stage.kind == ProcedureStage.Kind.NEGOTIATION:
        if procedure.shortlist_published_at is None:
            problems.append("Publish the shortlist before opening a negotiation round.")
        earlier = procedure.stages.filter(number__lt=stage.number)
        if any(not is_opened(s.round_id) for s in earlier):
            problems.append("Open the submissions of the earlier stages first.")
    return problems


@transaction.atomic
def stage_open(*, actor, stage: ProcedureStage) -> ProcedureStage:
    """Open a stage for submissions; the shortlisted suppliers are told of a negotiation round."""
    _require_manager(actor, stage.procedure.tender)
    round_tender = Tender.objects.select_for_update().get(pk=stage.round_id)
    stage.round = round_tender
    stage.procedure = StagedProcedure.objects.select_related("tender").get(pk=stage.procedure_id)
    if round_tender.status != Tender.Status.DRAFT:
        raise ValidationError("This stage is already open.")
    now = timezone.now()
    problems = _open_problems(stage, now)
    if problems:
        raise ValidationError(problems)
    transition(obj=round_tender, workflow=TENDER, name="publish", actor=actor,
               organisation_id=round_tender.authority_id)
    stage.opened_for_submissions_at = now
    stage.save(update_fields=["opened_for_submissions_at", "updated_at"])
    _audit(actor, "procedure.stage_opened", stage.procedure,
           f"Opened stage {stage.number} for submissions until "
           f"{govuk_date(round_tender.deadline, True)}")
    if stage.kind == ProcedureStage.Kind.NEGOTIATION:
        _tell_shortlist(stage.procedure, subject=f"{stage.title} is open",
                        body=f"{stage.title} of {stage.procedure.tender.title} is open for "
                        f"submissions until {govuk_date(round_tender.deadline, True)}.")
    return stage


def stage_extendable(stage: ProcedureStage) -> bool:
    """Whether the stage's deadline may still be extended (``tender_extend_deadline`` does it):
    open for submissions and its deadline not passed (the two-person opening moves a round out
    of ``published``, so an opened round is never extendable)."""
    return selectors.round_is_open(stage.round)


def _tell_shortlist(procedure: StagedProcedure, *, subject: str, body: str) -> None:
    """Tell each shortlisted supplier (its administrators and who made its request)."""
    entries = (procedure.shortlist.filter(included=True)
               .select_related("request__organisation", "request__created_by"))
    for entry in entries:
        notify(recipients=bidder_contacts(entry.request), subject=subject, body=body,
               url=reverse("commissioning:supplier_procedures"))


def _decidable_request(procedure: StagedProcedure, bid: Bid) -> Bid:
    stage = selectors.participation_stage(procedure)
    if stage is None or bid.tender_id != stage.round_id:
        raise ValidationError("This is not a request to participate in this procedure.")
    if not is_opened(stage.round_id):
        raise ValidationError("Requests to participate are assessed after their two-person "
                              "opening.")
    if bid.status != Bid.Status.SUBMITTED or bid.disregarded_reason:
        raise ValidationError("Only a submitted request to participate can be assessed.")
    return bid


@transaction.atomic
def shortlist_decide(*, actor, procedure: StagedProcedure, request: Bid, included: bool,
                     reasons: str) -> ShortlistEntry:
    """Decide one request against the published selection criteria, with reasons."""
    _require_manager(actor, procedure.tender)
    if procedure.shortlist_published_at is not None:
        raise ValidationError("The shortlist has been published: it cannot change.")
    _decidable_request(procedure, request)
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons against the selection criteria: the "
                               "supplier is told them."})
    entry, _ = ShortlistEntry.objects.update_or_create(
        procedure=procedure, organisation_id=request.organisation_id,
        defaults={"request": request, "included": included, "reasons": reasons.strip(),
                  "decided_by": actor})
    _audit(actor, "procedure.shortlist_decided", procedure,
           f"{'Shortlisted' if included else 'Not shortlisted'}: request #{request.pk}",
           {"request": request.pk, "included": included, "reasons": entry.reasons})
    return entry


@transaction.atomic
def shortlist_publish(*, actor, procedure: StagedProcedure,
                      fewer_reason: str = "") -> StagedProcedure:
    """Publish the shortlist: every request decided, within the notice's numbers, each
    supplier told whether it is shortlisted and why."""
    _require_manager(actor, procedure.tender)
    procedure = StagedProcedure.objects.select_for_update().select_related("tender").get(
        pk=procedure.pk)
    if procedure.shortlist_published_at is not None:
        raise ValidationError("The shortlist has already been published.")
    requests = selectors.requests_to_decide(procedure)
    undecided = [bid for bid in requests if not hasattr(bid, "shortlist_entry")]
    if not requests or undecided:
        raise ValidationError("Decide every request to participate first "
                              f"({len(undecided)} still to decide).")
    included = sum(1 for bid in requests if bid.shortlist_entry.included)
    if included > procedure.max_suppliers:
        raise ValidationError(f"The notice allows at most {procedure.max_suppliers} suppliers; "
                              f"{included} are shortlisted.")
    if included < procedure.min_suppliers and not fewer_reason.strip():
        raise ValidationError({"fewer_reason": f"Fewer than the minimum of "
                               f"{procedure.min_suppliers} suppliers are shortlisted: say why "
                               "(for example, too few met the conditions of participation)."})
    procedure.shortlist_published_at = timezone.now()
    procedure.save(update_fields=["shortlist_published_at", "updated_at"])
    _audit(actor, "procedure.shortlist_published", procedure,
           f"Published the shortlist of {procedure.tender.reference}: {included} of "
           f"{len(requests)}", {"included": included, "fewer_reason": fewer_reason.strip()})
    for bid in requests:
        _tell_decision(procedure, bid.shortlist_entry)
    return procedure


def _tell_decision(procedure: StagedProcedure, entry: ShortlistEntry) -> None:
    outcome = ("has been shortlisted" if entry.included else "has not been shortlisted")
    notify(recipients=bidder_contacts(entry.request),
           subject=f"Shortlist decision: {procedure.tender.title}",
           body=f"Your organisation {outcome} for {procedure.tender.reference} "
           f"{procedure.tender.title}. The reasons, against the published selection criteria: "
           f"{entry.reasons}", url=reverse("commissioning:supplier_procedures"))
    entry.notified_at = timezone.now()
    entry.save(update_fields=["notified_at", "updated_at"])


@transaction.atomic
def meeting_record(*, actor, stage: ProcedureStage, organisation: Organisation,
                   held_at: datetime, attendees: str, minutes: str) -> DialogueMeeting:
    """Minute a negotiation or dialogue meeting with a shortlisted supplier."""
    procedure = stage.procedure
    _require_manager(actor, procedure.tender)
    if stage.kind != ProcedureStage.Kind.NEGOTIATION:
        raise ValidationError("Meetings are held in a negotiation round.")
    if organisation.pk not in selectors.shortlisted_ids(procedure):
        raise ValidationError({"organisation": "Meet only shortlisted suppliers."})
    if held_at > timezone.now():
        raise ValidationError({"held_at": "Record a meeting once it has been held."})
    if not minutes.strip():
        raise ValidationError({"minutes": "Enter the minutes of the meeting."})
    meeting = DialogueMeeting.objects.create(stage=stage, organisation=organisation,
                                             held_at=held_at, attendees=attendees.strip(),
                                             minutes=minutes.strip(), recorded_by=actor)
    _audit(actor, "procedure.meeting_recorded", procedure,
           f"Minuted a meeting in stage {stage.number} with {organisation.name}",
           {"meeting": meeting.pk, "held_at": held_at.isoformat()})
    return meeting


@transaction.atomic
def refinement_record(*, actor, procedure: StagedProcedure, after_stage: ProcedureStage,
                      description: str) -> CriteriaRefinement:
    """Refine the award criteria between rounds, as the notice allowed (s.24); everyone still
    taking part is told."""
    _require_manager(actor, procedure.tender)
    if not procedure.refinement_allowed:
        raise ValidationError("The tender notice did not allow the award criteria to be "
                              "refined (s.24).")
    if after_stage.procedure_id != procedure.pk or not is_opened(after_stage.round_id):
        raise ValidationError("Refine the criteria after a stage of this procedure has been "
                              "opened.")
    status = Tender.objects.values_list("status", flat=True).get(pk=procedure.tender_id)
    if status != Tender.Status.PUBLISHED:
        raise ValidationError("The final tenders have been opened: the criteria cannot change.")
    if not description.strip():
        raise ValidationError({"description": "Describe the refinement."})
    refinement = CriteriaRefinement.objects.create(
        procedure=procedure, after_stage=after_stage, description=description.strip(),
        recorded_by=actor)
    _audit(actor, "procedure.criteria_refined", procedure,
           f"Refined the award criteria after stage {after_stage.number}",
           {"refinement": refinement.pk, "description": refinement.description})
    _tell_shortlist(procedure, subject=f"Award criteria refined: {procedure.tender.title}",
                    body=f"The award criteria of {procedure.tender.reference} were refined "
                    f"after stage {after_stage.number} (s.24): {refinement.description}")
    return refinement
