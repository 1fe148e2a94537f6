"""Pipeline and co-design: public project pages, and the commissioner's project screens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from commissioning.filters import AuthorityProjectFilter, PipelineFilter
from commissioning.forms.pipeline import (
    CommentForm,
    EngagementEventForm,
    MarketQuestionForm,
    MarketResponseForm,
    ProjectForm,
)
from commissioning.permissions.tenders import MANAGING_ROLES
from commissioning.presenters.pipeline import project_actions
from commissioning.selectors import pipeline as selectors
from commissioning.selectors.tenders import authority_for_new_tender, authority_ids_of
from commissioning.services import pipeline as services
from commissioning.views.common import paginate
from core.forms.errors import attach_errors
from organisations.selectors import current_organisation

MANAGE = "commissioning.manage_project"


@require_GET
def pipeline_list(request):
    project_filter = PipelineFilter(request.GET or None, queryset=selectors.public_projects())
    return render(request, "commissioning/pipeline/list.html", {
        "filter": project_filter, "page_obj": paginate(request, project_filter.qs),
        "can_create": bool(authority_ids_of(user=request.user, roles=MANAGING_ROLES))})


def project_detail(request, pk: int):
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.citizen_comment_add(actor=request.user, project=project,
                                         text=form.cleaned_data["text"])
        except ValidationError as error:
            attach_errors(form, error, default_field="text")
        else:
            messages.success(request, "Thank you: your comment is published.")
            return redirect("commissioning:project_detail", pk=project.pk)
    return render(request, "commissioning/pipeline/detail.html", {
        "project": project, "form": form, **project_actions(request.user, project),
        "questions": selectors.project_questions(user=request.user, project=project),
        "comments": selectors.project_comments(project=project),
        "tenders": selectors.project_tenders(user=request.user, project=project)})


@login_required
def market_respond(request, pk: int):
    question = selectors.market_question_get_for_user(user=request.user, pk=pk)
    organisation = current_organisation(request)
    existing = selectors.response_of(question=question, organisation=organisation)
    form = MarketResponseForm(request.POST or None,
                              initial={"text": existing.text} if existing else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.market_response_save(actor=request.user, question=question,
                                          organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="text")
        else:
            messages.success(request, "Your response is saved. You can change it until the "
                                      "question closes.")
            return redirect("commissioning:project_detail", pk=question.project_id)
    return render(request, "commissioning/pipeline/respond.html", {
        "form": form, "question": question, "organisation": organisation,
        "existing": existing})


@login_required
def project_admin_list(request):
    project_filter = AuthorityProjectFilter(
        request.GET or None, queryset=selectors.authority_projects(user=request.user))
    return render(request, "commissioning/pipeline/admin_list.html", {
        "filter": project_filter, "page_obj": paginate(request, project_filter.qs)})


@login_required
def project_form(request, pk: int | None = None):
    project = selectors.project_get_for_user(user=request.user, pk=pk, perm=MANAGE) if pk else None
    authority = project.authority if project else authority_for_new_tender(
        user=request.user, current=current_organisation(request))
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            project = (services.project_update(actor=request.user, project=project,
                                               data=form.project_data()) if project else
                       services.project_create(actor=request.user, authority=authority,
                                               data=form.project_data()))
        except ValidationError as error:
            attach_errors(form, error, default_field="title")
        else:
            messages.success(request, f"Project “{project.title}” saved.")
            return redirect("commissioning:project_detail", pk=project.pk)
    return render(request, "commissioning/pipeline/form.html",
                  {"form": form, "project": project, "authority": authority})


@login_required
@require_POST
def project_start_engagement(request, pk: int):
    project = selectors.project_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    try:
        services.project_start_engagement(actor=request.user, project=project)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Market engagement has started: the project is now in the "
                                  "public pipeline.")
    return redirect("commissioning:project_detail", pk=project.pk)


@login_required
def event_add(request, pk: int):
    project = selectors.project_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    form = EngagementEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_event_add(actor=request.user, project=project,
                                          data=form.event_data())
        except ValidationError as error:
            attach_errors(form, _dated(error, "starts_at"), default_field="title")
        else:
            messages.success(request, "Event added.")
            return redirect("commissioning:project_detail", pk=project.pk)
    return render(request, "commissioning/pipeline/event_form.html",
                  {"form": form, "project": project})


@login_required
def market_question_add(request, pk: int):
    project = selectors.project_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    form = MarketQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.market_question_add(actor=request.user, project=project,
                                         text=form.cleaned_data["text"],
                                         closes_at=form.cleaned_data["closes_at"])
        except ValidationError as error:
            attach_errors(form, _dated(error, "closes_at"), default_field="text")
        else:
            messages.success(request, "Question published to the market.")
            return redirect("commissioning:project_detail", pk=project.pk)
    return render(request, "commissioning/pipeline/question_form.html",
                  {"form": form, "project": project})


def _dated(error: ValidationError, name: str) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({(f"{k}_date" if k == name else k): v
                            for k, v in error.error_dict.items()})
