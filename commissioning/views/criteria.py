"""Award criteria pages (commissioners, draft tenders) and the authority's procurement settings."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from commissioning.forms.criteria import (
    ConfirmDeleteForm,
    CriterionForm,
    ProcurementSettingsForm,
    QuestionLinkForm,
    ScaleForm,
    ScoringMethodForm,
)
from commissioning.selectors import evaluation as selectors
from commissioning.services import criteria as services
from core.forms.errors import attach_errors
from organisations.selectors import current_organisation

CHANGE = "commissioning.change_criteria"


def _saved(request, form, save, message: str, target: str, pk: int, default_field=None):
    """Call ``save``; on success flash and redirect, on a ValidationError put it on the form."""
    try:
        save()
    except ValidationError as error:
        attach_errors(form, error, default_field=default_field)
        return None
    messages.success(request, message)
    return redirect(target, pk=pk)


@login_required
def criteria(request, pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk,
                                           perm="commissioning.view_criteria")
    return render(request, "commissioning/criteria/list.html", {
        "tender": tender, "criteria": selectors.criteria_of(tender),
        "problems": services.criteria_problems(tender),
        "min_weight": services.min_social_value_weight(tender.authority),
        "can_change": rules.has_perm(CHANGE, request.user, tender),
        "questions": selectors.questions_of(tender),
    })


@login_required
def criterion_add(request, pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk, perm=CHANGE)
    form = CriterionForm(request.POST or None, tender=tender)
    if request.method == "POST" and form.is_valid():
        response = _saved(request, form, lambda: services.criterion_create(
            tender=tender, actor=request.user, **form.cleaned_data),
            f"Criterion “{form.cleaned_data['name']}” added.", "commissioning:criteria", pk)
        if response:
            return response
    return render(request, "commissioning/criteria/form.html", {
        "tender": tender, "form": form, "title": "Add an award criterion",
        "min_weight": services.min_social_value_weight(tender.authority)})


@login_required
def criterion_edit(request, pk: int, criterion_pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk, perm=CHANGE)
    criterion = selectors.criterion_get(tender=tender, pk=criterion_pk)
    form = CriterionForm(request.POST or None, tender=tender, editing=True, initial={
        "name": criterion.name, "description": criterion.description,
        "weight": criterion.weight})
    if request.method == "POST" and form.is_valid():
        response = _saved(request, form, lambda: services.criterion_update(
            criterion=criterion, actor=request.user, **form.cleaned_data),
            f"Criterion “{form.cleaned_data['name']}” saved.", "commissioning:criteria", pk)
        if response:
            return response
    return render(request, "commissioning/criteria/form.html", {
        "tender": tender, "form": form, "title": f"Change {criterion.name}",
        "min_weight": services.min_social_value_weight(tender.authority)})


@login_required
def criterion_delete(request, pk: int, criterion_pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk, perm=CHANGE)
    criterion = selectors.criterion_get(tender=tender, pk=criterion_pk)
    form = ConfirmDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.criterion_delete(criterion=criterion, actor=request.user)
        messages.success(request, f"Criterion “{criterion.name}” removed.")
        return redirect("commissioning:criteria", pk=pk)
    return render(request, "commissioning/criteria/delete.html", {
        "tender": tender, "criterion": criterion, "form": form})


@login_required
def criterion_scale(request, pk: int, criterion_pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk, perm=CHANGE)
    criterion = selectors.criterion_get(tender=tender, pk=criterion_pk)
    form = ScaleForm(request.POST or None, criterion=criterion)
    if request.method == "POST" and form.is_valid():
        response = _saved(request, form, lambda: services.scale_update(
            criterion=criterion, actor=request.user, descriptors=form.descriptors()),
            f"Scale for “{criterion.name}” saved.", "commissioning:criteria", pk)
        if response:
            return response
    return render(request, "commissioning/criteria/scale.html", {
        "tender": tender, "criterion": criterion, "form": form})


@login_required
def scoring_method(request, pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk, perm=CHANGE)
    from commissioning.scoring import tie_break_key

    form = ScoringMethodForm(request.POST or None, initial={
        "price_formula": tender.price_formula, "tie_break": tie_break_key(tender.tie_break_rule)})
    if request.method == "POST" and form.is_valid():
        response = _saved(request, form, lambda: services.scoring_method_update(
            tender=tender, actor=request.user, **form.cleaned_data),
            "Price formula and tie-break rule saved.", "commissioning:criteria", pk)
        if response:
            return response
    return render(request, "commissioning/criteria/method.html", {"tender": tender, "form": form})


@login_required
def criteria_questions(request, pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk, perm=CHANGE)
    form = QuestionLinkForm(request.POST or None, tender=tender,
                            criteria=selectors.linkable_criteria(tender))
    if request.method == "POST" and form.is_valid():
        response = _saved(request, form, lambda: services.questions_link(
            tender=tender, actor=request.user, links=form.links()),
            "Questions linked to criteria.", "commissioning:criteria", pk)
        if response:
            return response
    return render(request, "commissioning/criteria/questions.html", {"tender": tender,
                                                                      "form": form})


@login_required
def procurement_settings(request):
    authority = current_organisation(request)
    if not rules.has_perm("commissioning.change_procurement_settings", request.user, authority):
        raise PermissionDenied
    floor = services.social_value_floor(authority)
    form = ProcurementSettingsForm(request.POST or None, initial={
        "min_social_value_weight": floor.weight})
    if request.method == "POST" and not floor.fixed and form.is_valid():
        try:
            services.procurement_settings_update(authority=authority, actor=request.user,
                                                 **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Procurement settings saved.")
            return redirect("commissioning:procurement_settings")
    return render(request, "commissioning/criteria/settings.html", {
        "form": form, "authority": authority, "floor": floor})
