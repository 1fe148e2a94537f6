"""Notices (public pages and their OCDS), direct awards, contract changes and performance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commissioning.filters import DirectAwardFilter, NoticeFilter
from commissioning.forms.awards import ReasonForm
from commissioning.forms.notices import (
    ContractChangeForm,
    DirectAwardForm,
    KpiRatingForm,
    PlanningNoticeForm,
)
from commissioning.selectors import awards as award_selectors
from commissioning.selectors import notices as selectors
from commissioning.selectors.tenders import (
    MANAGING_ROLES,
    authority_for_new_tender,
    authority_ids_of,
)
from commissioning.services import contract_management as management
from commissioning.services import direct_awards as services
from commissioning.views.common import paginate
from core.forms.errors import attach_errors
from organisations.selectors import current_organisation

MANAGE = "commissioning.manage_direct_award"
MANAGE_CONTRACT = "commissioning.manage_contract"


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def notice_list(request):
    notices = NoticeFilter(request.GET or None, queryset=selectors.public_notices())
    return render(request, "commissioning/notices/list.html",
                  {"filter": notices, "page_obj": paginate(request, notices.qs)})


def notice(request, pk: int):
    notice = selectors.notice_get_public(pk=pk)
    return render(request, "commissioning/notices/detail.html", {"notice": notice})


def notice_release(request, pk: int):
    from commissioning.ocds.packages import release_package
    from commissioning.ocds.release import timestamp

    notice = selectors.notice_get_public(pk=pk)
    package = release_package(releases=[], uri=request.build_absolute_uri())
    package["publishedDate"] = timestamp(notice.published_at)
    package["releases"] = [notice.release] if notice.release else []
    return JsonResponse(package, json_dumps_params={"indent": 2})


@login_required
def direct_award_list(request):
    awards = DirectAwardFilter(request.GET or None,
                               queryset=selectors.direct_awards_for_user(user=request.user))
    return render(request, "commissioning/direct_awards/list.html", {
        "filter": awards, "page_obj": paginate(request, awards.qs),
        "can_create": bool(authority_ids_of(user=request.user, roles=MANAGING_ROLES))})


@login_required
def direct_award_create(request):
    authority = authority_for_new_tender(user=request.user,
                                         current=current_organisation(request))
    form = DirectAwardForm(request.POST or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.direct_award_create(actor=request.user, authority=authority,
                                                 data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="justification")
        else:
            messages.success(request, "Direct award saved. Publish its transparency notice.")
            return redirect("commissioning:direct_award", pk=award.pk)
    return render(request, "commissioning/direct_awards/form.html",
                  {"form": form, "authority": authority})


@login_required
def direct_award(request, pk: int):
    award = selectors.direct_award_get_for_user(user=request.user, pk=pk)
    return render(request, "commissioning/direct_awards/detail.html", {
        "award": award, "notices": selectors.notices_of_direct_award(award),
        "contract": selectors.direct_award_contract(award),
        "can_manage": request.user.has_perm(MANAGE, award),
        "first_day": services.award_may_start_on(award)})


@login_required
@require_POST
def direct_award_publish(request, pk: int):
    award = selectors.direct_award_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    try:
        services.direct_award_transparency_publish(actor=request.user, award=award)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, "Transparency notice published: the standstill has started.")
    return redirect("commissioning:direct_award", pk=pk)


@login_required
@require_POST
def direct_award_award(request, pk: int):
    award = selectors.direct_award_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    try:
        services.direct_award_award(actor=request.user, award=award)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, "Contract awarded and contract award notice published.")
    return redirect("commissioning:direct_award", pk=pk)


@login_required
def direct_award_cancel(request, pk: int):
    award = selectors.direct_award_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.direct_award_cancel(actor=request.user, award=award, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="reason")
        else:
            messages.success(request, "Direct award terminated.")
            return redirect("commissioning:direct_award", pk=pk)
    return render(request, "commissioning/direct_awards/cancel.html",
                  {"award": award, "form": form})


@login_required
def contract_changes(request, pk: int):
    contract = award_selectors.contract_get_for_user(user=request.user, pk=pk)
    can_manage = request.user.has_perm(MANAGE_CONTRACT, contract)
    form = ContractChangeForm(request.POST or None) if can_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            management.contract_change_propose(actor=request.user, contract=contract,
                                               **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="description")
        else:
            messages.success(request, "Change proposed.")
            return redirect("commissioning:contract_changes", pk=pk)
    return render(request, "commissioning/contracts/changes.html", {
        "contract": contract, "award": contract.award, "tender": contract.award.tender,
        "changes": selectors.contract_changes(contract), "form": form,
        "can_manage": can_manage})


def _change_action(request, pk: int, change_pk: int, service, success: str):
    contract = award_selectors.contract_get_for_user(user=request.user, pk=pk,
                                                     perm=MANAGE_CONTRACT)
    try:
        service(actor=request.user, change=selectors.change_get(contract, change_pk))
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, success)
    return redirect("commissioning:contract_changes", pk=pk)


@login_required
@require_POST
def contract_change_notice(request, pk: int, change_pk: int):
    return _change_action(request, pk, change_pk, management.contract_change_notice_publish,
                          "Contract change notice published.")


@login_required
@require_POST
def contract_change_make(request, pk: int, change_pk: int):
    return _change_action(request, pk, change_pk, management.contract_change_make,
                          "Change made to the contract.")


@login_required
def contract_performance(request, pk: int):
    contract = award_selectors.contract_get_for_user(user=request.user, pk=pk)
    can_manage = request.user.has_perm(MANAGE_CONTRACT, contract)
    rows = management.performance_rows(contract)
    form = KpiRatingForm(request.POST or None, kpis=[kpi for kpi, _ in rows]) \
        if can_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            management.kpi_rating_record(actor=request.user,
                                         kpi=selectors.kpi_of(contract, data.pop("kpi")), **data)
        except ValidationError as error:
            attach_errors(form, error, default_field="rating")
        else:
            messages.success(request, "Rating recorded.")
            return redirect("commissioning:contract_performance", pk=pk)
    return render(request, "commissioning/contracts/performance.html", {
        "contract": contract, "award": contract.award, "tender": contract.award.tender,
        "rows": rows, "form": form, "can_manage": can_manage,
        "problems": management.performance_notice_problems(contract),
        "required": management.performance_notice_required(contract),
        "social_value": management.social_value_delivered(contract),
        "notices": selectors.notices_of_contract(contract)})


def _contract_notice(request, pk: int, publish, done: str):
    """Publish one of a contract's notices for its manager, then back to its performance page."""
    contract = award_selectors.contract_get_for_user(user=request.user, pk=pk,
                                                     perm=MANAGE_CONTRACT)
    try:
        publish(actor=request.user, contract=contract)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, done)
    return redirect("commissioning:contract_performance", pk=pk)


@login_required
@require_POST
def contract_performance_notice(request, pk: int):
    return _contract_notice(request, pk, management.performance_notice_publish,
                            "Contract performance notice published.")


@login_required
@require_POST
def contract_expiry_notice(request, pk: int):
    return _contract_notice(request, pk, management.contract_expiry_notice_publish,
                            "Contract termination notice published.")


@login_required
@require_POST
def project_engagement_notice(request, pk: int):
    from commissioning.selectors.pipeline import project_get_for_user
    from commissioning.services.notices import planning_notice_publish

    project = project_get_for_user(user=request.user, pk=pk, perm="commissioning.manage_project")
    try:
        notice = planning_notice_publish(actor=request.user, notice_type="UK2", project=project)
    except ValidationError as error:
        _flash(request, error)
        return redirect("commissioning:project_detail", pk=pk)
    messages.success(request, "Preliminary market engagement notice published.")
    return redirect("commissioning:notice", pk=notice.pk)


@login_required
def engagement_notice_reason(request, pk: int):
    from commissioning.forms.awards import ReasonForm
    from commissioning.selectors.tenders import tender_get_for_user
    from commissioning.services.notices import engagement_notice_reason_record

    tender = tender_get_for_user(user=request.user, pk=pk, perm="commissioning.manage_tender")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            engagement_notice_reason_record(actor=request.user, tender=tender,
                                            **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="reason")
        else:
            messages.success(request, "Reason recorded: it is published with the tender notice.")
            return redirect("commissioning:tender_publish", pk=pk)
    return render(request, "commissioning/notices/engagement_reason.html",
                  {"tender": tender, "form": form})


def _planning_notice(request, *, notice_type: str, subject, back: str, **about):
    """Confirm, then publish, a pipeline (UK1) or planned procurement (UK3) notice."""
    from commissioning.services.notices import planning_notice_publish

    initial = {"description": getattr(subject, "need", "") or getattr(subject, "summary", "")}
    form = PlanningNoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notice = planning_notice_publish(actor=request.user, notice_type=notice_type,
                                             description=form.cleaned_data["description"],
                                             **about)
        except ValidationError as error:
            attach_errors(form, error, default_field="description")
        else:
            messages.success(request, f"{notice.get_notice_type_display()} published.")
            return redirect("commissioning:notice", pk=notice.pk)
    return render(request, "commissioning/notices/planning_confirm.html", {
        "form": form, "subject": subject, "notice_type": notice_type, "back": back,
        "published": selectors.planning_notices_of(notice_type=notice_type, **about)})


@login_required
def project_pipeline_notice(request, pk: int):
    from commissioning.selectors.pipeline import project_get_for_user

    project = project_get_for_user(user=request.user, pk=pk, perm="commissioning.manage_project")
    return _planning_notice(request, notice_type="UK1", subject=project, project=project,
                            back=reverse("commissioning:project_detail", args=[pk]))


@login_required
def tender_planned_notice(request, pk: int):
    from commissioning.selectors.tenders import tender_get_for_user

    tender = tender_get_for_user(user=request.user, pk=pk, perm="commissioning.manage_tender")
    return _planning_notice(request, notice_type="UK3", subject=tender, tender=tender,
                            back=reverse("commissioning:tender_manage", args=[pk]))
