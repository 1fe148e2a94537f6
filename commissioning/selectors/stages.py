"""Reads for staged procedures: which stage a tender row is, who may take part, the shortlist."""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from commissioning.models import (
    Bid,
    ProcedureStage,
    ShortlistEntry,
    StagedProcedure,
    SubmissionSupplierInformation,
    SupplierInformation,
    Tender,
)
from commissioning.sealing import is_opened
from core.audit import audit_record
from core.selectors import one_or_none
from organisations.models import Organisation

NOT_TAKING_PART = "Only suppliers taking part in this stage can see it."
NOT_OPEN_YET = "This stage is not open yet."
NOT_SHORTLISTED = ("Only suppliers on the published shortlist of this procedure can take part in "
                   "this stage.")
SHORTLIST_NOT_PUBLISHED = ("This stage is open only to shortlisted suppliers, and the shortlist "
                           "has not been published yet.")


def stage_of(tender: Tender) -> ProcedureStage | None:
    """The stage a round's tender row belongs to (None for an ordinary tender); cached."""
    if "_stage_of" not in tender.__dict__:
        tender.__dict__["_stage_of"] = one_or_none(
            ProcedureStage.objects.select_related("procedure").filter(round_id=tender.pk))
    return tender.__dict__["_stage_of"]


def procedure_of(tender: Tender) -> StagedProcedure | None:
    """The staged procedure a tender row takes part in: as the final tender or as a round."""
    if "_procedure_of" not in tender.__dict__:
        stage = stage_of(tender)
        tender.__dict__["_procedure_of"] = (
            stage.procedure if stage is not None
            else one_or_none(StagedProcedure.objects.filter(tender_id=tender.pk)))
    return tender.__dict__["_procedure_of"]


def is_participation_round(tender: Tender) -> bool:
    stage = stage_of(tender)
    return stage is not None and stage.kind == ProcedureStage.Kind.PARTICIPATION


def needs_price(tender: Tender) -> bool:
    """A request to participate has no price; every tender, initial or final, has one."""
    return not is_participation_round(tender)


def shortlisted_ids(procedure: StagedProcedure) -> set[int]:
    """The organisations on the published shortlist (empty before it is published)."""
    if procedure.shortlist_published_at is None:
        return set()
    return set(procedure.shortlist.filter(included=True).values_list("organisation_id",
                                                                     flat=True))


def take_part_refusal(tender: Tender, organisation: Organisation) -> str | None:
    """Why `organisation` may not start a submission for this tender row (None if it may).

    Anyone may request to participate; a negotiation round and the final tenders are only for
    the published shortlist.
    """
    procedure = procedure_of(tender)
    if procedure is None or is_participation_round(tender):
        return None
    if procedure.shortlist_published_at is None:
        return SHORTLIST_NOT_PUBLISHED
    if organisation.pk not in shortlisted_ids(procedure):
        return NOT_SHORTLISTED
    return None


def round_is_open(round_tender: Tender) -> bool:
    """A round accepts submissions and questions until its deadline (server clock)."""
    return (round_tender.status == Tender.Status.PUBLISHED and round_tender.deadline is not None
            and round_tender.deadline > timezone.now())


def round_participant_refusal(stage: ProcedureStage, organisation: Organisation) -> str | None:
    """Why `organisation` does not take part in the stage (None when it does).

    Anyone may take part in the participation stage while it is open, and afterwards whoever
    submitted a request or asked a question in it; a negotiation round is the shortlist's.
    """
    round_tender = stage.round
    if round_tender.status == Tender.Status.DRAFT:
        return NOT_OPEN_YET
    if stage.kind != ProcedureStage.Kind.PARTICIPATION:
        return take_part_refusal(round_tender, organisation)
    if round_is_open(round_tender):
        return None
    from commissioning.selectors.tenders import interested_organisation_ids

    if organisation.pk in interested_organisation_ids(tender=round_tender):
        return None
    return NOT_TAKING_PART


def round_participant_ids(stage: ProcedureStage) -> set[int]:
    """The organisations taking part in a stage, who are told its clarifications and changes:
    the shortlist for a negotiation round; for the participation stage, every organisation
    that started a request or asked a question in it."""
    if stage.kind != ProcedureStage.Kind.PARTICIPATION:
        return shortlisted_ids(stage.procedure)
    from commissioning.selectors.tenders import interested_organisation_ids

    return interested_organisation_ids(tender=stage.round)


def round_get_for_supplier(*, user, pk: int) -> ProcedureStage:
    """A stage's page for a supplier taking part in it (404 to anyone else: rounds are not
    public)."""
    stage = (ProcedureStage.objects.select_related("procedure__tender__authority",
                                                   "round__authority")
             .filter(pk=pk).first())
    if stage is not None:
        stage.round.__dict__["_stage_of"] = stage
    if stage is None or not user.has_perm("commissioning.take_part_in_round", stage.round):
        raise Http404("No such stage.")
    return stage


def own_round_bid(*, stage: ProcedureStage, organisation: Organisation | None) -> Bid | None:
    """The organisation's submission in a stage, if it started one."""
    if organisation is None:
        return None
    return Bid.objects.filter(tender_id=stage.round_id, organisation=organisation).first()


def shortlisted_organisations(procedure: StagedProcedure) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=shortlisted_ids(procedure)).order_by("name"))


def procedure_get_for_user(*, user, tender_pk: int) -> StagedProcedure:
    """The staged procedure of a tender, for the authority's staff (404 otherwise)."""
    procedure = (StagedProcedure.objects.select_related("tender__authority")
                 .filter(tender_id=tender_pk).first())
    if procedure is None or not user.has_perm("commissioning.view_tender_admin", procedure.tender):
        raise Http404("No staged procedure.")
    return procedure


def stage_get_for_user(*, user, pk: int) -> ProcedureStage:
    stage = (ProcedureStage.objects.select_related("procedure__tender__authority", "round")
             .filter(pk=pk).first())
    if stage is None or not user.has_perm("commissioning.view_tender_admin",
                                          stage.procedure.tender):
        raise Http404("No such stage.")
    return stage


def stages_of(procedure: StagedProcedure) -> list[ProcedureStage]:
    return list(procedure.stages.select_related("round__authority"))


def participation_stage(procedure: StagedProcedure) -> ProcedureStage | None:
    return procedure.stages.filter(kind=ProcedureStage.Kind.PARTICIPATION).first()


def requests_to_decide(procedure: StagedProcedure) -> list[Bid]:
    """The submitted, not disregarded requests to participate, each with its decision."""
    stage = participation_stage(procedure)
    if stage is None or not is_opened(stage.round_id):  # who asked is sealed until the opening
        return []
    return list(Bid.objects.filter(tender_id=stage.round_id, status=Bid.Status.SUBMITTED,
                                   disregarded_reason="")
                .select_related("organisation", "shortlist_entry").order_by("organisation__name"))


def shortlist_entries(procedure: StagedProcedure) -> QuerySet[ShortlistEntry]:
    return procedure.shortlist.select_related("organisation")


def procedures_for_supplier(*, organisation: Organisation | None) -> list[dict]:
    """The staged procedures the organisation takes part in or may join, stage by stage."""
    if organisation is None:
        return []
    open_participation = ProcedureStage.objects.filter(
        kind=ProcedureStage.Kind.PARTICIPATION, round__status=Tender.Status.PUBLISHED)
    involved = set(Bid.objects.filter(organisation=organisation, tender__stage_of__isnull=False)
                   .values_list("tender__stage_of__procedure_id", flat=True))
    ids = involved | set(open_participation.values_list("procedure_id", flat=True))
    procedures = (StagedProcedure.objects.filter(pk__in=ids)
                  .select_related("tender__authority").prefetch_related("stages__round")
                  .order_by("-id"))
    entries = {entry.procedure_id: entry for entry in ShortlistEntry.objects.filter(
        organisation=organisation, procedure_id__in=ids,
        procedure__shortlist_published_at__isnull=False)}
    bids = {(bid.tender_id): bid for bid in Bid.objects.filter(
        organisation=organisation, tender__in=[p.tender_id for p in procedures]
        + [s.round_id for p in procedures for s in p.stages.all()])}
    return [{"procedure": procedure, "entry": entries.get(procedure.pk),
             "final_bid": bids.get(procedure.tender_id),
             "stages": [{"stage": stage, "bid": bids.get(stage.round_id),
                         "viewable": _viewable(stage, bids.get(stage.round_id),
                                               entries.get(procedure.pk))}
                        for stage in procedure.stages.all()]}
            for procedure in procedures]


def _viewable(stage: ProcedureStage, bid: Bid | None, entry: ShortlistEntry | None) -> bool:
    """Whether the supplier may open the stage's page (mirrors round_participant_refusal
    without a query per stage; a question asked after the deadline aside)."""
    if stage.round.status == Tender.Status.DRAFT:
        return False
    if stage.kind == ProcedureStage.Kind.PARTICIPATION:
        return ((bid is not None and bid.status != Bid.Status.WITHDRAWN)
                or round_is_open(stage.round))
    return entry is not None and entry.included


def supplier_information_current(*, organisation: Organisation) -> SupplierInformation | None:
    """The organisation's latest version of its core information."""
    return (SupplierInformation.objects.filter(organisation=organisation)
            .prefetch_related("documents").first())


def supplier_information_history(*, organisation: Organisation) -> QuerySet[SupplierInformation]:
    return SupplierInformation.objects.filter(organisation=organisation)


def submission_information(*, bid: Bid) -> SubmissionSupplierInformation | None:
    """The frozen version attached to a bid or request (None when none was)."""
    return (SubmissionSupplierInformation.objects.select_related("version", "confirmed_by")
            .prefetch_related("version__documents").filter(bid=bid).first())


def submission_information_for_user(*, user, bid: Bid) -> SubmissionSupplierInformation | None:
    """The frozen core information of a submission, for a party or, after the opening, the
    unconflicted staff; each read by staff is audited like the bid's content."""
    if not rules.has_perm("commissioning.view_bid_content", user, bid):
        raise PermissionDenied("A submission's core information is sealed until the opening.")
    attached = submission_information(bid=bid)
    if not rules.has_perm("commissioning.view_bid", user, bid):
        audit_record(actor=user, action="bid.content_viewed", obj=bid,
                     summary=f"Viewed the core supplier information of bid #{bid.pk}",
                     changes={"part": "supplier_information"})
    return attached
