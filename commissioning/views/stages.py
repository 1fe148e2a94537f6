"""Screens of a competitive flexible procedure in stages, for the commissioner and suppliers."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commissioning.forms import stages as forms
from commissioning.forms.clarifications import AskClarificationForm
from commissioning.forms.tenders import ExtendDeadlineForm
from commissioning.permissions.evaluation import remember_panel_seats
from commissioning.selectors import stages as selectors
from commissioning.selectors.tenders import answered_clarifications, tender_get_for_user
from commissioning.services import clarifications as clarification_services
from commissioning.services import stages as services
from commissioning.services.tenders import tender_extend_deadline
from commissioning.views.supplier_information import supplier_of
from core.forms.errors import attach_errors
from organisations.selectors import current_organisation

MANAGE = "commissioning.manage_tender"


def _managed(request, procedure):
    if not request.user.has_perm(MANAGE, procedure.tender):
        raise PermissionDenied
    return procedure


def _back(pk: int):
    return redirect("commissioning:procedure_overview", pk=pk)


@login_required
def procedure_overview(request, pk: int):
    tender = tender_get_for_user(user=request.user, pk=pk)
    procedure = getattr(tender, "staged_procedure", None)
    stages = list(selectors.stages_of(procedure)) if procedure else []
    can_manage = request.user.has_perm(MANAGE, tender)
    remember_panel_seats(request.user, [tender, *(stage.round for stage in stages)])
    for stage in stages:  # offer each round's opening and evaluation only to who may use them
        stage.can_extend = can_manage and services.stage_extendable(stage)
        stage.can_open = rules.has_perm("commissioning.open_bids", request.user, stage.round)
        stage.can_evaluate = rules.has_perm("commissioning.view_evaluation", request.user,
                                            stage.round)
    return render(request, "commissioning/stages/overview.html", {
        "tender": tender, "procedure": procedure, "stages": stages,
        "can_open_final": rules.has_perm("commissioning.open_bids", request.user, tender),
        "can_manage": can_manage})


@login_required
def procedure_design(request, pk: int):
    tender = tender_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    form = forms.ProcedureDesignForm(request.POST or None,
                                     instance=getattr(tender, "staged_procedure", None))
    if request.method == "POST" and form.is_valid():
        try:
            services.procedure_design(actor=request.user, tender=tender, data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "The stages are described.")
            return _back(tender.pk)
    return render(request, "commissioning/stages/form.html",
                  {"tender": tender, "form": form, "heading": "Describe the stages"})


@login_required
def stage_add(request, pk: int):
    procedure = _managed(request, selectors.procedure_get_for_user(user=request.user, tender_pk=pk))
    form = forms.StageAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_add(actor=request.user, procedure=procedure, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="kind")
        else:
            messages.success(request, "Stage added. Add its questions and documents next.")
            return _back(pk)
    return render(request, "commissioning/stages/form.html",
                  {"tender": procedure.tender, "form": form, "heading": "Add a stage"})


@login_required
@require_POST
def stage_open(request, pk: int):
    stage = selectors.stage_get_for_user(user=request.user, pk=pk)
    try:
        services.stage_open(actor=request.user, stage=stage)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{stage.title} is open for submissions.")
    return _back(stage.procedure.tender_id)


@login_required
def stage_extend(request, pk: int):
    stage = selectors.stage_get_for_user(user=request.user, pk=pk)
    _managed(request, stage.procedure)
    form = ExtendDeadlineForm(request.POST or None, tender=stage.round)
    if request.method == "POST" and form.is_valid():
        try:
            tender_extend_deadline(actor=request.user, tender=stage.round,
                                   new_deadline=form.cleaned_data["new_deadline"],
                                   reason=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(form, _deadline_fields(error), default_field="new_deadline_date")
        else:
            messages.success(request, f"The deadline of {stage.title} is extended; the suppliers "
                             "taking part have been told.")
            return _back(stage.procedure.tender_id)
    return render(request, "commissioning/stages/extend.html", {
        "tender": stage.procedure.tender, "stage": stage, "form": form,
        "can_extend": services.stage_extendable(stage)})


def _deadline_fields(error: ValidationError) -> ValidationError:
    if hasattr(error, "error_dict") and "new_deadline" in error.error_dict:
        return ValidationError({"new_deadline_date": error.error_dict["new_deadline"]})
    return error


@login_required
def shortlist(request, pk: int):
    procedure = selectors.procedure_get_for_user(user=request.user, tender_pk=pk)
    form = forms.ShortlistPublishForm(request.POST or None)
    if request.method == "POST" and _managed(request, procedure) and form.is_valid():
        try:
            services.shortlist_publish(actor=request.user, procedure=procedure,
                                       **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="fewer_reason")
        else:
            messages.success(request, "Shortlist published: every supplier has been told why.")
            return redirect("commissioning:shortlist", pk=pk)
    return render(request, "commissioning/stages/shortlist.html", {
        "tender": procedure.tender, "procedure": procedure, "form": form,
        "requests": selectors.requests_to_decide(procedure),
        "can_manage": request.user.has_perm(MANAGE, procedure.tender)})


@login_required
def shortlist_decide(request, pk: int, bid_pk: int):
    procedure = _managed(request, selectors.procedure_get_for_user(user=request.user, tender_pk=pk))
    bid = next((b for b in selectors.requests_to_decide(procedure) if b.pk == bid_pk), None)
    if bid is None:
        raise Http404("No such request to participate.")
    entry = getattr(bid, "shortlist_entry", None)
    initial = ({"included": "yes" if entry.included else "no", "reasons": entry.reasons}
               if entry else {})
    form = forms.ShortlistDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.shortlist_decide(actor=request.user, procedure=procedure, request=bid,
                                      **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="reasons")
        else:
            return redirect("commissioning:shortlist", pk=pk)
    return render(request, "commissioning/stages/form.html", {
        "tender": procedure.tender, "form": form, "back_to": "commissioning:shortlist",
        "heading": f"Decide on the request from {bid.organisation.name}"})


@login_required
def stage_meetings(request, pk: int):
    stage = selectors.stage_get_for_user(user=request.user, pk=pk)
    procedure = stage.procedure
    suppliers = selectors.shortlisted_organisations(procedure)
    form = forms.MeetingForm(request.POST or None, suppliers=suppliers)
    if request.method == "POST" and _managed(request, procedure) and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_record(
                actor=request.user, stage=stage, held_at=data["held_at"],
                organisation=next(o for o in suppliers if o.pk == data["organisation"]),
                attendees=data["attendees"], minutes=data["minutes"])
        except ValidationError as error:
            attach_errors(form, error, default_field="minutes")
        else:
            messages.success(request, "Meeting minuted.")
            return redirect("commissioning:stage_meetings", pk=pk)
    return render(request, "commissioning/stages/meetings.html", {
        "tender": procedure.tender, "stage": stage, "form": form,
        "meetings": stage.meetings.select_related("organisation", "recorded_by"),
        "can_manage": request.user.has_perm(MANAGE, procedure.tender)})


@login_required
def refinements(request, pk: int):
    procedure = selectors.procedure_get_for_user(user=request.user, tender_pk=pk)
    stages = selectors.stages_of(procedure)
    form = forms.RefinementForm(request.POST or None, stages=stages)
    if request.method == "POST" and _managed(request, procedure) and form.is_valid():
        try:
            services.refinement_record(
                actor=request.user, procedure=procedure,
                after_stage=next(s for s in stages if s.pk == form.cleaned_data["after_stage"]),
                description=form.cleaned_data["description"])
        except ValidationError as error:
            attach_errors(form, error, default_field="description")
        else:
            messages.success(request, "Refinement recorded; the shortlisted suppliers are told.")
            return redirect("commissioning:refinements", pk=pk)
    return render(request, "commissioning/stages/refinements.html", {
        "tender": procedure.tender, "procedure": procedure, "form": form,
        "refinements": procedure.refinements.select_related("after_stage", "recorded_by"),
        "can_manage": request.user.has_perm(MANAGE, procedure.tender)})


@login_required
def supplier_procedures(request):
    return render(request, "commissioning/stages/supplier_list.html", {
        "rows": selectors.procedures_for_supplier(organisation=current_organisation(request)),
        "is_supplier": supplier_of(request) is not None})


@login_required
def supplier_round(request, pk: int):
    stage = selectors.round_get_for_supplier(user=request.user, pk=pk)
    return render(request, "commissioning/stages/supplier_round.html", {
        "stage": stage, "tender": stage.procedure.tender, "round": stage.round,
        "is_open": selectors.round_is_open(stage.round),
        "bid": selectors.own_round_bid(stage=stage, organisation=current_organisation(request)),
        "clarifications": answered_clarifications(tender=stage.round),
        "can_ask": request.user.has_perm("commissioning.ask_round_clarification", stage.round)})


@login_required
def supplier_round_ask(request, pk: int):
    stage = selectors.round_get_for_supplier(user=request.user, pk=pk)
    form = AskClarificationForm(request.POST or None) if selectors.round_is_open(
        stage.round) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            clarification_services.clarification_ask(
                actor=request.user, tender=stage.round,
                organisation=current_organisation(request), question=form.cleaned_data["question"])
        except ValidationError as error:
            attach_errors(form, error, default_field="question")
        else:
            messages.success(request, "Question sent. The answer will be sent to every supplier "
                             "taking part in this stage, without saying who asked.")
            return redirect("commissioning:supplier_round", pk=pk)
    return render(request, "commissioning/stages/round_ask.html",
                  {"stage": stage, "round": stage.round, "form": form})
