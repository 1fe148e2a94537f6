"""Assessors: their rounds, the conflict declaration (the gate), their queue, scoring."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from grants.forms.assessing import DeclareForm, ScoreForm
from grants.selectors import applications as application_selectors
from grants.selectors import assessment as selectors
from grants.selectors import rounds as round_selectors
from grants.services import assessment as services
from grants.views.common import form_page
from grants.views.decisions import answers_summary


def _assignment(request, pk: int):
    round_ = round_selectors.round_get_for_user(user=request.user, pk=pk,
                                                perm="grants.assess_round")
    return round_, selectors.assignment_of(user=request.user, round_=round_)


@login_required
@require_GET
def assessor_home(request):
    return render(request, "grants/assessing/home.html", {
        "assignments": selectors.assignments_for_assessor(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def assessor_declare(request, pk: int):
    """Before any application is seen: names only, and a declaration of every conflict."""
    round_, assignment = _assignment(request, pk)
    form = DeclareForm(request.POST or None,
                       applications=selectors.applications_to_declare(round_=round_))
    return form_page(request, form, lambda f: services.conflicts_declare(
        actor=request.user, round_=round_, conflicts=f.conflicts()),
        success=reverse("grants:assessor_queue", args=[pk]),
        message="Declaration recorded. Applications you are conflicted with are hidden.",
        template="grants/assessing/declare.html",
        context={"round": round_, "assignment": assignment})


@login_required
@require_GET
def assessor_queue(request, pk: int):
    round_, assignment = _assignment(request, pk)
    if assignment is None:
        raise PermissionDenied("You are not an assessor on this round.")
    if assignment.declared_at is None:
        raise PermissionDenied("Declare your conflicts of interest first.")
    return render(request, "grants/assessing/queue.html", {
        "round": round_, "rows": selectors.queue_rows(assignment=assignment, user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def assessor_score(request, pk: int):
    application = application_selectors.application_get_for_user(
        user=request.user, pk=pk, perm="grants.assess_application")
    existing = selectors.assessment_of(application=application, user=request.user)
    form = ScoreForm(request.POST or None, existing=existing,
                     criteria=round_selectors.criteria_of(round_=application.round))
    submit = request.POST.get("action") == "submit"
    return form_page(request, form, lambda f: services.assessment_save(
        actor=request.user, application=application, scores=f.scores(),
        recommendation=f.cleaned_data["recommendation"], comments=f.cleaned_data["comments"],
        submit=submit), success=reverse("grants:assessor_queue", args=[application.round_id]),
        message="Assessment submitted." if submit else "Draft saved.",
        template="grants/assessing/score.html",
        context={"application": application, "answers": answers_summary(application),
                 "submitted": existing is not None and existing.submitted_at is not None})
