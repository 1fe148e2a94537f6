"""The findings dashboard, a finding's page (assign, acknowledge, comment), and a platform
admin's "run this check now"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from compliance import actions, presenters, selectors, services
from compliance.filters import FindingFilter, with_default_status
from compliance.forms import AssignForm, CommentForm
from core.forms.errors import attach_errors
from organisations.selectors import current_organisation

PAGE_SIZE = 25


@login_required
@require_GET
def dashboard(request):
    findings = selectors.findings_for(
        user=request.user, organisation=current_organisation(request)
    )
    filterset = FindingFilter(
        with_default_status(request.GET), queryset=selectors.dashboard_findings(findings=findings)
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    summaries = selectors.check_summaries(findings=findings)
    return render(request, "compliance/dashboard.html", {
        "filter": filterset,
        "page_obj": page,
        "rows": [presenters.present_finding(finding) for finding in page.object_list],
        "checks": [presenters.present_check(summary) for summary in summaries],
        "can_run_checks": request.user.is_platform_admin,
    })


def _finding(request, pk: int):
    return selectors.finding_get_for_user(
        user=request.user, organisation=current_organisation(request), pk=pk)


def _detail(request, finding, *, assign_form=None, comment_form=None, status: int = 200):
    scope = selectors.findings_for(user=request.user, organisation=current_organisation(request))
    return render(request, "compliance/finding_detail.html", {
        "finding": presenters.present_finding(finding),
        "subject": presenters.subject_link(finding, request.user),
        "episodes": [presenters.present_finding(e) for e in selectors.episodes_of(
            finding=finding, scope=scope)],
        "events": [presenters.present_event(e) for e in selectors.events_of(finding=finding)],
        "assign_form": assign_form or AssignForm(finding=finding),
        "comment_form": comment_form or CommentForm(),
        "can_acknowledge": finding.acknowledged_at is None,
    }, status=status)


@login_required
@require_GET
def finding_detail(request, pk: int):
    return _detail(request, _finding(request, pk))


@login_required
@require_POST
def finding_assign(request, pk: int):
    finding = _finding(request, pk)
    form = AssignForm(request.POST, finding=finding)
    if form.is_valid():
        try:
            actions.finding_assign(actor=request.user, finding=finding,
                                   assignee=form.cleaned_data["assignee"])
        except ValidationError as error:
            attach_errors(form, error, default_field="assignee")
        else:
            messages.success(request, "Finding assigned." if form.cleaned_data["assignee"]
                             else "Finding unassigned.")
            return redirect("compliance:finding_detail", pk=pk)
    return _detail(request, finding, assign_form=form, status=400)


@login_required
@require_POST
def finding_acknowledge(request, pk: int):
    finding = _finding(request, pk)
    try:
        actions.finding_acknowledge(actor=request.user, finding=finding)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Finding acknowledged.")
    return redirect("compliance:finding_detail", pk=pk)


@login_required
@require_POST
def finding_comment(request, pk: int):
    finding = _finding(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.finding_comment(actor=request.user, finding=finding,
                                    text=form.cleaned_data["text"])
        except ValidationError as error:
            attach_errors(form, error, default_field="text")
        else:
            messages.success(request, "Comment added.")
            return redirect("compliance:finding_detail", pk=pk)
    return _detail(request, finding, comment_form=form, status=400)


@login_required
@require_POST
def run_check(request, check_id: str):
    try:
        services.check_run_request(actor=request.user, check_id=check_id)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, "The check will run in the next minute. Refresh this page to see its findings."
        )
    return redirect("compliance:dashboard")
