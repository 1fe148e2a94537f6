"""Support for mutuals: the scheme, applying, assessing, deciding and the support plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.documents import document_response
from core.forms.errors import attach_errors
from mutuals import selectors, services, support_rules
from mutuals.forms import (
    AdviceDayForm,
    AllocationForm,
    DeclareForm,
    MilestoneEvidenceForm,
    ReviewForm,
    ScoreForm,
    SubsidyForm,
    SupportApplicationForm,
    SupportDecisionForm,
    SupportStartForm,
)
from mutuals.services.support import CRITERIA, eoi_problems, weighted
from organisations.selectors import current_organisation


def _done(request, message: str, to: str, pk: int):
    messages.success(request, message)
    return redirect(to, pk=pk)


@require_GET
def schemes(request):
    return render(request, "mutuals/support/schemes.html", {"schemes": selectors.schemes_open()})


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, pk: int):
    scheme = selectors.scheme_get(pk=pk)
    organisation = current_organisation(request)
    as_mutual = bool(organisation and request.user.has_perm("mutuals.change_evidence",
                                                            organisation))
    form = SupportStartForm(request.POST or None, can_apply_as_mutual=as_mutual)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_start(
                actor=request.user, scheme=scheme, kind=form.cleaned_data["kind"],
                team_name=form.cleaned_data["team_name"],
                parent_body=form.cleaned_data["parent_body"],
                organisation=organisation if as_mutual else None)
        except ValidationError as error:
            attach_errors(form, error, default_field="kind")
        else:
            return redirect("mutuals:support_application", pk=application.pk)
    return render(request, "mutuals/support/apply.html",
                  {"scheme": scheme, "form": form, "organisation": organisation if as_mutual
                   else None})


@login_required
def applications(request):
    page = Paginator(selectors.applications_for_user(user=request.user), 25).get_page(
        request.GET.get("page"))
    return render(request, "mutuals/support/applications.html", {"page_obj": page})


@login_required
def application(request, pk: int):
    item = selectors.application_get_for_user(user=request.user, pk=pk)
    assessment = selectors.assessment_of(application=item, user=request.user)
    return render(request, "mutuals/support/application.html", {
        "application": item, "screen": support_rules.screen(item, selectors.today()),
        "eoi_problems": eoi_problems(item), "assessment": assessment,
        "can_edit": request.user.has_perm("mutuals.change_support_application", item)
        and item.status == item.Status.DRAFT,
        "can_assess": request.user.has_perm("mutuals.assess_support_application", item)
        and item.status == item.Status.SUBMITTED,
        "can_withdraw": request.user.has_perm("mutuals.change_support_application", item)
        and item.status in (item.Status.DRAFT, item.Status.SUBMITTED),
        "plan": getattr(item, "plan", None)})


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int):
    item = selectors.application_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.change_support_application")
    form = SupportApplicationForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_save(actor=request.user, application=item,
                                      data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="growth_case")
        else:
            return _done(request, "Your answers are saved.", "mutuals:support_application",
                         item.pk)
    return render(request, "mutuals/support/application_form.html",
                  {"application": item, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def subsidy_add(request, pk: int):
    item = selectors.application_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.change_support_application")
    form = SubsidyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subsidy_add(actor=request.user, application=item, data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="provider")
        else:
            return _done(request, "The support you received is recorded.",
                         "mutuals:support_application", item.pk)
    return render(request, "mutuals/support/subsidy_form.html",
                  {"application": item, "form": form})


@login_required
@require_POST
def application_submit(request, pk: int):
    item = selectors.application_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.change_support_application")
    try:
        services.application_submit(actor=request.user, application=item)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("mutuals:support_application", pk=item.pk)
    return _done(request, f"Your application is sent. Your reference is {item.reference}.",
                 "mutuals:support_application", item.pk)


@login_required
@require_POST
def application_withdraw(request, pk: int):
    item = selectors.application_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.change_support_application")
    try:
        services.application_withdraw(actor=request.user, application=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mutuals:support_application", pk=item.pk)
    return _done(request, "Your application is withdrawn.", "mutuals:support_application",
                 item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assess(request, pk: int):
    item = selectors.application_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.assess_support_application")
    if item.status != item.Status.SUBMITTED:
        messages.info(request, "This application is not awaiting assessment.")
        return redirect("mutuals:support_application", pk=item.pk)
    assessment = selectors.assessment_of(application=item, user=request.user)
    if assessment is None:
        return _declare(request, item)
    if assessment.has_conflict:
        raise PermissionDenied("You declared a conflict of interest with this applicant.")
    form = ScoreForm(request.POST or None, criteria=CRITERIA)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_score(actor=request.user, application=item,
                                      scores=form.scores(), comments=form.comments(),
                                      recommendation=form.cleaned_data["recommendation"])
        except ValidationError as error:
            attach_errors(form, error, default_field="recommendation")
        else:
            return _done(request, "Your assessment is saved.", "mutuals:support_application",
                         item.pk)
    return render(request, "mutuals/support/assess.html", {
        "application": item, "form": form, "assessment": assessment,
        "screen": item.eligibility, "others": selectors.assessments_of(application=item)})


def _declare(request, item):
    form = DeclareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_declare(
                actor=request.user, application=item,
                has_conflict=form.cleaned_data["has_conflict"] == "yes",
                details=form.cleaned_data["details"])
        except ValidationError as error:
            attach_errors(form, error, default_field="has_conflict")
        else:
            return redirect("mutuals:support_assess", pk=item.pk)
    return render(request, "mutuals/support/declare.html", {"application": item, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk: int):
    item = selectors.application_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.assess_support_application")
    if item.status != item.Status.SUBMITTED:
        messages.info(request, "This application has been decided.")
        return redirect("mutuals:support_application", pk=item.pk)
    assessments = [(a, weighted(a)) for a in selectors.assessments_of(application=item)
                   if a.submitted_at]
    form = SupportDecisionForm(request.POST or None, initial={
        "advisory_days": item.advisory_days_requested, "grant_amount": item.grant_requested})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_decide(
                actor=request.user, application=item,
                approve=form.cleaned_data["decision"] == "approve",
                feedback=form.cleaned_data["feedback"],
                advisory_days=form.cleaned_data["advisory_days"],
                grant_amount=form.cleaned_data["grant_amount"])
        except ValidationError as error:
            attach_errors(form, error, default_field="decision")
        else:
            return _done(request, "Your decision is recorded and the applicant is told.",
                         "mutuals:support_application", item.pk)
    return render(request, "mutuals/support/decide.html",
                  {"application": item, "form": form, "assessments": assessments})


@login_required
def plan(request, pk: int):
    item = selectors.plan_get_for_user(user=request.user, pk=pk)
    return render(request, "mutuals/support/plan.html", {
        "plan": item, "application": item.application,
        "progress": selectors.plan_progress(plan=item),
        "can_manage": request.user.has_perm("mutuals.manage_support_plan", item),
        "can_grant": request.user.has_perm("mutuals.make_support_grant", item),
        "is_team": request.user.has_perm("mutuals.submit_milestone", item),
        "can_view_application": request.user.has_perm("mutuals.view_support_application",
                                                      item.application)})


@login_required
@require_http_methods(["GET", "POST"])
def allocate(request, pk: int):
    item = selectors.plan_get_for_user(user=request.user, pk=pk,
                                       perm="mutuals.manage_support_plan")
    form = AllocationForm(request.POST or None,
                          advisers=selectors.advisers_of(scheme=item.application.scheme))
    if request.method == "POST" and form.is_valid():
        try:
            services.adviser_allocate(actor=request.user, plan=item, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="adviser")
        else:
            return _done(request, "The adviser is allocated and told.", "mutuals:support_plan",
                         item.pk)
    return render(request, "mutuals/support/allocate.html", {"plan": item, "form": form})


@login_required
@require_POST
def grant_make(request, pk: int):
    item = selectors.plan_get_for_user(user=request.user, pk=pk,
                                       perm="mutuals.make_support_grant")
    try:
        services.support_grant_make(actor=request.user, plan=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mutuals:support_plan", pk=item.pk)
    return _done(request, "The grant is offered as a direct award: the mutual accepts its "
                          "agreement in Grants.", "mutuals:support_plan", item.pk)


@login_required
def advising(request):
    return render(request, "mutuals/support/advising.html",
                  {"allocations": selectors.allocations_for_adviser(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def advice_log(request, pk: int):
    allocation = selectors.allocation_get_for_user(user=request.user, pk=pk)
    form = AdviceDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.advice_day_log(actor=request.user, allocation=allocation,
                                    **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="worked_on")
        else:
            return _done(request, "The day is logged; the team will sign it off.",
                         "mutuals:support_plan", allocation.plan_id)
    return render(request, "mutuals/support/advice_log.html",
                  {"allocation": allocation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def advice_day_review(request, pk: int):
    day = selectors.advice_day_get_for_user(user=request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.advice_day_review(actor=request.user, day=day,
                                       sign_off=form.cleaned_data["decision"] == "accept",
                                       query=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(form, error, default_field="decision")
        else:
            return _done(request, "Thank you: the adviser is told.", "mutuals:support_plan",
                         day.allocation.plan_id)
    return render(request, "mutuals/support/advice_review.html", {"day": day, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def milestone(request, pk: int):
    item = selectors.milestone_get_for_user(user=request.user, pk=pk)
    can_submit = request.user.has_perm("mutuals.submit_milestone", item.plan)
    can_review = request.user.has_perm("mutuals.manage_support_plan", item.plan)
    evidence_form = MilestoneEvidenceForm(request.POST or None, request.FILES or None,
                                          prefix="evidence") if can_submit else None
    review_form = ReviewForm(request.POST or None, prefix="review") if can_review else None
    if request.method == "POST":
        if not (can_submit or can_review):
            raise PermissionDenied
        if _milestone_post(request, item, evidence_form, review_form):
            return redirect("mutuals:support_plan", pk=item.plan_id)
    return render(request, "mutuals/support/milestone.html", {
        "milestone": item, "evidence_form": evidence_form, "review_form": review_form})


def _milestone_post(request, item, evidence_form, review_form) -> bool:
    form = review_form if review_form is not None and "review-decision" in request.POST \
        else evidence_form
    if form is None or not form.is_valid():
        return False
    try:
        if form is review_form:
            services.milestone_review(actor=request.user, milestone=item,
                                      sign_off=form.cleaned_data["decision"] == "accept",
                                      reason=form.cleaned_data["reason"])
        else:
            services.milestone_evidence_submit(actor=request.user, milestone=item,
                                               note=form.cleaned_data["note"],
                                               uploaded_file=form.cleaned_data.get("file"))
    except ValidationError as error:
        attach_errors(form, error)
        return False
    messages.success(request, "Saved.")
    return True


@login_required
def milestone_evidence(request, pk: int):
    item = selectors.milestone_get_for_user(user=request.user, pk=pk)
    if item.evidence is None:
        raise PermissionDenied
    return document_response(item.evidence)
