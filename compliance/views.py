"""The findings dashboard, a finding's page, and a platform admin's "run this check now"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from compliance import presenters, selectors, services
from compliance.filters import FindingFilter, with_default_status
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


@login_required
@require_GET
def finding_detail(request, pk: int):
    organisation = current_organisation(request)
    finding = selectors.finding_get_for_user(user=request.user, organisation=organisation, pk=pk)
    scope = selectors.findings_for(user=request.user, organisation=organisation)
    episodes = selectors.episodes_of(finding=finding, scope=scope)
    return render(request, "compliance/finding_detail.html", {
        "finding": presenters.present_finding(finding),
        "subject": presenters.subject_label(finding),
        "episodes": [presenters.present_finding(episode) for episode in episodes],
    })


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
