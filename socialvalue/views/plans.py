"""Designing social value into a tender: measures, relevance, weight and question."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from core.forms.errors import attach_errors
from socialvalue import hooks, selectors, services
from socialvalue.forms import PlanMeasureForm, PlanSettingsForm, RelevanceForm
from socialvalue.navigation import home_context
from socialvalue.presenters import PlanPresenter


def _editable_plan(request, pk):
    plan = selectors.plan_get_for_user(user=request.user, pk=pk, perm="socialvalue.change_plan")
    reason = services.plan_lock_reason(plan)
    if reason:
        messages.error(request, reason)
        return plan, redirect("socialvalue:plan_detail", pk=plan.pk)
    return plan, None


@login_required
def plan_list(request):
    if not request.user.is_platform_admin and not request.user_organisations:
        raise PermissionDenied
    page = Paginator(selectors.plans_for_user(user=request.user), 25).get_page(
        request.GET.get("page"))
    contexts = hooks.plan_contexts(plan.pk for plan in page)
    rows = [(plan, contexts[plan.pk]) for plan in page]
    return render(request, "socialvalue/plans/list.html", {
        "page_obj": page, "rows": rows, "show_home": bool(home_context(request)["sections"])})


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    return render(request, "socialvalue/plans/detail.html",
                  {"plan": plan, "presenter": PlanPresenter(plan, request.user)})


@login_required
def plan_edit(request, pk: int):
    plan, locked = _editable_plan(request, pk)
    if locked:
        return locked
    min_weight = hooks.min_weight_for(plan.authority)
    initial = {"weight": plan.weight,
               "question": plan.question or selectors.plan_model_question(plan=plan)}
    form = PlanSettingsForm(request.POST or None, initial=initial, min_weight=min_weight)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, min_weight=min_weight,
                                 **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Weight and question saved.")
            return redirect("socialvalue:plan_detail", pk=plan.pk)
    return render(request, "socialvalue/plans/edit.html", {"plan": plan, "form": form})


@login_required
def plan_measure_add(request, pk: int):
    plan, locked = _editable_plan(request, pk)
    if locked:
        return locked
    measures = selectors.catalogue_measures(authority=plan.authority)
    form = PlanMeasureForm(request.POST or None, measures=measures)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_measure_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="measure")
        else:
            messages.success(request, f"Added “{form.cleaned_data['measure'].name}”.")
            return redirect("socialvalue:plan_detail", pk=plan.pk)
    return render(request, "socialvalue/plans/measure_add.html", {"plan": plan, "form": form})


@login_required
def plan_measure_edit(request, pk: int, measure_pk: int):
    plan, locked = _editable_plan(request, pk)
    if locked:
        return locked
    chosen = selectors.plan_measure_get_for_user(user=request.user, plan=plan, pk=measure_pk)
    form = RelevanceForm(request.POST or None, initial={"relevance": chosen.relevance})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_measure_update(actor=request.user, plan_measure=chosen,
                                         relevance=form.cleaned_data["relevance"])
        except ValidationError as error:
            attach_errors(form, error, default_field="relevance")
        else:
            messages.success(request, "Relevance saved.")
            return redirect("socialvalue:plan_detail", pk=plan.pk)
    return render(request, "socialvalue/plans/measure_edit.html",
                  {"plan": plan, "chosen": chosen, "form": form})


@login_required
def plan_measure_remove(request, pk: int, measure_pk: int):
    plan, locked = _editable_plan(request, pk)
    if locked:
        return locked
    chosen = selectors.plan_measure_get_for_user(user=request.user, plan=plan, pk=measure_pk)
    if request.method == "POST":
        try:
            services.plan_measure_remove(actor=request.user, plan_measure=chosen)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Removed “{chosen.measure.name}”.")
        return redirect("socialvalue:plan_detail", pk=plan.pk)
    return render(request, "socialvalue/plans/measure_remove.html",
                  {"plan": plan, "chosen": chosen})
