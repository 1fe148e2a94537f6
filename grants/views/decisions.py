"""Managers' application pages: the round's list, screening, moderation, panel, decisions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants import answers as answer_rules
from grants.filters import RoundApplicationFilter
from grants.forms.assessing import CitizensVoteForm, DecisionForm, ModerationForm, ScreenForm
from grants.presenters import application_tag
from grants.selectors import applications as selectors
from grants.selectors import assessment as assessment_selectors
from grants.selectors import participatory as participatory_selectors
from grants.selectors import rounds as round_selectors
from grants.services import applications as services
from grants.services import assessment as assessment_services
from grants.services import participatory
from grants.views.common import form_page, paginate, post_action


def _managed(request, pk: int):
    return selectors.application_get_for_user(user=request.user, pk=pk,
                                              perm="grants.manage_application")


@login_required
@require_GET
def round_applications(request, pk: int):
    round_ = round_selectors.round_get_for_user(user=request.user, pk=pk,
                                                perm="grants.manage_round")
    application_filter = RoundApplicationFilter(
        request.GET or None, queryset=selectors.applications_of_round(round_=round_))
    page = paginate(request, application_filter.qs)
    return render(request, "grants/manage/applications.html", {
        "round": round_, "filter": application_filter, "page_obj": page,
        "rows": [{"application": a, "tag": application_tag(a, public=False)} for a in page]})


def answers_summary(application) -> list[dict]:
    answers = selectors.answers_by_question(application=application)
    return [{"key": q.label, "value": answer_rules.display(q, answers.get(q.pk))}
            for q in round_selectors.questions_of(round_=application.round,
                                                  stage=application.stage)]


@login_required
@require_GET
def application_manage(request, pk: int):
    application = _managed(request, pk)
    return render(request, "grants/manage/application.html", {
        "application": application, "tag": application_tag(application, public=False),
        "answers": answers_summary(application),
        "assessments": assessment_selectors.assessments_of(application=application),
        "decision": getattr(application, "decision", None),
        "moderation": getattr(application, "moderation", None),
        "award": getattr(application, "award", None)})


@login_required
@require_http_methods(["GET", "POST"])
def application_screen(request, pk: int):
    application = _managed(request, pk)
    form = ScreenForm(request.POST or None)
    return form_page(request, form, lambda f: services.application_screen(
        actor=request.user, application=application, eligible=f.cleaned_data["eligible"],
        reason=f.cleaned_data["reason"]),
        success=reverse("grants:application_manage", args=[pk]), message="Screened.",
        error_field="reason",
        context={"caption": application.reference, "heading": "Screen the application",
                 "rows": [{"key": r["title"], "value": r["message"]}
                          for r in application.eligibility],
                 "back": reverse("grants:application_manage", args=[pk])})


@login_required
@require_http_methods(["GET", "POST"])
def application_moderate(request, pk: int):
    application = _managed(request, pk)
    form = ModerationForm(request.POST or None)
    return form_page(request, form, lambda f: assessment_services.moderation_record(
        actor=request.user, application=application, **f.cleaned_data),
        success=reverse("grants:application_manage", args=[pk]),
        message="Moderated score recorded.", error_field="score",
        context={"caption": application.reference, "heading": "Moderate the scores",
                 "back": reverse("grants:application_manage", args=[pk])})


@login_required
@require_http_methods(["GET", "POST"])
def application_decide(request, pk: int):
    application = _managed(request, pk)
    form = DecisionForm(request.POST or None, stage=application.stage)
    return form_page(request, form, lambda f: assessment_services.decision_record(
        actor=request.user, application=application, outcome=f.cleaned_data["outcome"],
        rationale=f.cleaned_data["rationale"], feedback=f.cleaned_data["feedback"],
        amount=f.cleaned_data.get("amount"), external_recommendation=f.external()),
        success=reverse("grants:panel_pack", args=[application.round_id])
        + f"?stage={application.stage}", message="Decision recorded: it needs approval.",
        error_field="outcome",
        context={"caption": application.reference, "heading": "Record the panel's decision",
                 "back": reverse("grants:panel_pack", args=[application.round_id])})


@login_required
@require_POST
def decision_approve(request, pk: int):
    application = _managed(request, pk)
    decision = getattr(application, "decision", None)
    if decision is None:
        raise Http404("No decision to approve.")
    return post_action(request, lambda: assessment_services.decision_approve(
        actor=request.user, decision=decision),
        success=reverse("grants:panel_pack", args=[application.round_id])
        + f"?stage={application.stage}",
        message="Decision approved and the letter sent.")


@login_required
@require_GET
def panel_pack(request, pk: int):
    round_ = round_selectors.round_get_for_user(user=request.user, pk=pk,
                                                perm="grants.manage_round")
    stage = request.GET.get("stage")
    stage = stage if stage in ("eoi", "full") else assessment_selectors.current_stage(round_)
    pack = assessment_selectors.panel_pack(round_=round_, stage=stage)
    return render(request, "grants/manage/panel.html", {
        "round": round_, "stage": stage, "pack": pack,
        "citizens_vote": participatory_selectors.vote_status(round_=round_),
        "rows": [{"application": a, "score": assessment_selectors.final_score(a),
                  "tag": application_tag(a, public=False)} for a in pack["rows"]]})


@login_required
@require_http_methods(["GET", "POST"])
def citizens_vote_request(request, pk: int):
    round_ = round_selectors.round_get_for_user(user=request.user, pk=pk,
                                                perm="grants.manage_round")
    form = CitizensVoteForm(request.POST or None, panels=participatory_selectors.panels_for(
        user=request.user, round_=round_))
    back = reverse("grants:panel_pack", args=[pk]) + "?stage=full"
    return form_page(request, form, lambda f: participatory.budget_vote_request(
        actor=request.user, round_=round_, panel=f.cleaned_data["panel"],
        budget=f.cleaned_data.get("budget")), success=back,
        message="The shortlist is with the panel as a draft budget vote: its facilitator "
                "opens and closes voting.", error_field="panel",
        context={"caption": round_.title, "back": back, "button": "Ask the panel",
                 "heading": "Ask a citizens' panel to allocate the budget",
                 "intro": "Each shortlisted full application becomes an option with the amount "
                          "it requests and a plain summary. The panel votes by the Method of "
                          "Equal Shares; its allocation comes back here as a recommendation."})


@login_required
@require_POST
def citizens_vote_apply(request, pk: int):
    round_ = round_selectors.round_get_for_user(user=request.user, pk=pk,
                                                perm="grants.manage_round")
    return post_action(request, lambda: participatory.budget_vote_apply(
        actor=request.user, round_=round_),
        success=reverse("grants:panel_pack", args=[pk]) + "?stage=full",
        message="The panel's allocation is recorded as the round's decisions: each needs "
                "approval by a second grant manager.")
