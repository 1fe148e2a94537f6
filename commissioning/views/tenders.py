"""The commissioner's tender screens: list, create, describe, timeline, publish, cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from commissioning.filters import AuthorityTenderFilter
from commissioning.forms.tenders import (
    ConflictsAssessmentForm,
    ExtendDeadlineForm,
    ReasonForm,
    TenderForm,
    TimelineForm,
)
from commissioning.presenters.tender_admin import TenderAdminPresenter
from commissioning.selectors import pipeline as project_selectors
from commissioning.selectors import tenders as selectors
from commissioning.selectors.stages import stage_of
from commissioning.services import tenders as services
from commissioning.services.tender_content import conflicts_assessment_record
from commissioning.views.common import paginate
from core.forms.errors import attach_errors
from organisations.selectors import current_organisation

MANAGE = "commissioning.manage_tender"


def _tender(request, pk: int, perm: str = MANAGE):
    return selectors.tender_get_for_user(user=request.user, pk=pk, perm=perm)


@login_required
def tender_admin_list(request):
    tender_filter = AuthorityTenderFilter(
        request.GET or None, queryset=selectors.authority_tenders(user=request.user))
    page = paginate(request, tender_filter.qs)
    return render(request, "commissioning/tenders/admin_list.html", {
        "filter": tender_filter, "page_obj": page,
        "can_create": bool(selectors.authority_ids_of(user=request.user,
                                                       roles=selectors.MANAGING_ROLES)),
    })


@login_required
def tender_create(request):
    authority = selectors.authority_for_new_tender(user=request.user,
                                                   current=current_organisation(request))
    project = None
    if request.GET.get("project", "").isdigit():
        project = project_selectors.project_get_for_user(
            user=request.user, pk=int(request.GET["project"]), perm="commissioning.manage_project")
    initial = {"title": project.title, "summary": project.need} if project else None
    form = TenderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            tender = services.tender_create(actor=request.user, authority=authority,
                                            data=form.tender_data(), project=project)
        except ValidationError as error:
            attach_errors(form, error, default_field="title")
        else:
            messages.success(request, f"Draft tender {tender.reference} created.")
            return redirect("commissioning:tender_manage", pk=tender.pk)
    return render(request, "commissioning/tenders/form.html",
                  {"form": form, "authority": authority, "project": project})


@login_required
def tender_manage(request, pk: int):
    tender = _tender(request, pk, perm="commissioning.view_tender_admin")
    return render(request, "commissioning/tenders/manage.html", {
        "tender": tender, "presenter": TenderAdminPresenter(tender, request.user),
        "deadline_changes": tender.deadline_changes.select_related("changed_by"),
    })


@login_required
def tender_edit(request, pk: int):
    tender = _tender(request, pk)
    form = TenderForm(request.POST or None, instance=tender)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_update(actor=request.user, tender=tender, data=form.tender_data())
        except ValidationError as error:
            attach_errors(form, error, default_field="title")
        else:
            messages.success(request, "Tender details saved.")
            return redirect("commissioning:tender_manage", pk=tender.pk)
    return render(request, "commissioning/tenders/form.html", {"form": form, "tender": tender})


@login_required
def tender_timeline(request, pk: int):
    tender = _tender(request, pk)
    form = TimelineForm(request.POST or None, tender=tender)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.tender_set_timeline(
                actor=request.user, tender=tender, **{k: form.cleaned_data[k] for k in (
                    "questions_deadline", "deadline", "short_period_reason")})
        except ValidationError as error:
            attach_errors(form, _to_form_fields(error), default_field="deadline_date")
        else:
            messages.success(request, "Timeline saved.")
            for warning in check.warnings:
                messages.warning(request, warning)
            return redirect("commissioning:tender_manage", pk=tender.pk)
    return render(request, "commissioning/tenders/timeline.html", {"form": form, "tender": tender})


def _to_form_fields(error: ValidationError) -> ValidationError:
    """Map the service's field names (deadline) to the form's (deadline_date)."""
    if not hasattr(error, "error_dict"):
        return error
    names = {"deadline": "deadline_date", "questions_deadline": "questions_deadline_date",
             "new_deadline": "new_deadline_date", "short_period_reason": "short_period_basis"}
    return ValidationError({names.get(k, k): v for k, v in error.error_dict.items()})


@login_required
def tender_conflicts(request, pk: int):
    tender = _tender(request, pk)
    latest = tender.conflicts_assessments.select_related("prepared_by").first()
    initial = {"summary": latest.summary, "mitigations": latest.mitigations} if latest else None
    form = ConflictsAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = conflicts_assessment_record(actor=request.user, tender=tender,
                                                     **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="summary")
        else:
            messages.success(request, f"Conflicts assessment version {assessment.version} saved.")
            return redirect("commissioning:tender_manage", pk=tender.pk)
    return render(request, "commissioning/tenders/conflicts.html", {
        "form": form, "tender": tender, "latest": latest,
        "history": tender.conflicts_assessments.select_related("prepared_by")})


@login_required
def tender_publish(request, pk: int):
    tender = _tender(request, pk)
    presenter = TenderAdminPresenter(tender, request.user)
    if request.method == "POST":
        try:
            services.tender_publish(actor=request.user, tender=tender)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("commissioning:tender_published", pk=tender.pk)
    return render(request, "commissioning/tenders/publish.html",
                  {"tender": tender, "presenter": presenter, "review": presenter.review})


@login_required
def tender_published(request, pk: int):
    tender = _tender(request, pk, perm="commissioning.view_tender_admin")
    return render(request, "commissioning/tenders/published.html", {"tender": tender})


@login_required
def tender_cancel(request, pk: int):
    tender = _tender(request, pk)
    form = ReasonForm(request.POST or None, label="Reason for terminating the procurement",
                      help_text="Published, and sent to every interested supplier and bidder.")
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_cancel(actor=request.user, tender=tender,
                                   reason=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(form, error, default_field="reason")
        else:
            messages.success(request, f"The procurement {tender.reference} was terminated.")
            return redirect("commissioning:tender_manage", pk=tender.pk)
    return render(request, "commissioning/tenders/cancel.html", {"form": form, "tender": tender})


@login_required
def tender_extend_deadline(request, pk: int):
    tender = _tender(request, pk)
    stage = stage_of(tender)
    if stage is not None:  # a round of a staged procedure: its own page says who is told
        return redirect("commissioning:stage_extend", pk=stage.pk)
    form = ExtendDeadlineForm(request.POST or None, tender=tender)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_extend_deadline(actor=request.user, tender=tender,
                                            new_deadline=form.cleaned_data["new_deadline"],
                                            reason=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(form, _to_form_fields(error), default_field="new_deadline_date")
        else:
            messages.success(request, "Deadline extended. Interested suppliers have been told.")
            return redirect("commissioning:tender_manage", pk=tender.pk)
    return render(request, "commissioning/tenders/extend.html", {"form": form, "tender": tender})
