"""Award decisions, the award notice and standstill, contracts and KPIs, bidder feedback."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commissioning.forms.awards import (
    ContractFilter,
    ContractForm,
    KpiForm,
    NoticeForm,
    ProposeAwardForm,
    ReasonForm,
)
from commissioning.presenters.contracts import ContractPresenter, contract_rows
from commissioning.selectors import awards as selectors
from commissioning.selectors.evaluation import tender_get_for_user
from commissioning.services import awards as services
from commissioning.services import contracts as contract_services
from commissioning.views.common import paginate
from core.forms.errors import attach_errors


def _flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def award_start(request, pk: int):
    tender = tender_get_for_user(user=request.user, pk=pk, perm="commissioning.propose_award")
    lot = selectors.lot_from_query(tender, request.GET.get("lot") or request.POST.get("lot"))
    context = selectors.award_start_context(tender=tender, lot=lot, user=request.user)
    form = ProposeAwardForm(request.POST or None, rows=context["ranking"].rows,
                            initial={"bid": getattr(context["ranking"].top, "bid", None)
                                     and context["ranking"].top.bid.pk})
    if request.method == "POST" and form.is_valid():
        try:
            award = services.award_propose(
                tender=tender, actor=request.user, lot=lot,
                bid=selectors.bid_from_rows(context["ranking"], form.cleaned_data["bid"]),
                override_reason=form.cleaned_data["override_reason"])
        except ValidationError as error:
            attach_errors(form, error, default_field="bid")
        else:
            messages.success(request, "Award proposed: a colleague must approve it.")
            return redirect("commissioning:award", pk=award.pk)
    return render(request, "commissioning/awards/start.html", {**context, "form": form})


@login_required
def award(request, pk: int):
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    return render(request, "commissioning/awards/detail.html",
                  selectors.award_context(award=award, user=request.user))


@login_required
@require_POST
def award_approve(request, pk: int):
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    try:
        services.award_approve(award=award, actor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, "Award approved. Every assessed bidder has been sent their "
                                  "assessment summary.")
    return redirect("commissioning:award", pk=pk)


@login_required
def award_reject(request, pk: int):
    award = selectors.award_get_for_user(user=request.user, pk=pk,
                                         perm="commissioning.approve_award")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_reject(award=award, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="reason")
        else:
            messages.success(request, "The proposed award was not approved.")
            return redirect("commissioning:award_start", pk=award.tender_id)
    return render(request, "commissioning/awards/reject.html", {"award": award, "form": form})


@login_required
def award_notice(request, pk: int):
    award = selectors.award_get_for_user(user=request.user, pk=pk,
                                         perm="commissioning.publish_award_notice")
    form = NoticeForm(request.POST if request.method == "POST" else None,
                      light_touch=award.tender.is_light_touch)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_notice_publish(award=award, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("commissioning:award_notice_published", pk=pk)
    return render(request, "commissioning/awards/notice.html",
                  selectors.award_notice_context(award=award, user=request.user, form=form))


@login_required
def award_notice_published(request, pk: int):
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    return render(request, "commissioning/awards/notice_published.html", {"award": award})


@login_required
def contract_enter(request, pk: int):
    award = selectors.award_get_for_user(user=request.user, pk=pk,
                                         perm="commissioning.enter_contract")
    form = ContractForm(request.POST or None, initial={"value": selectors.award_value_for_user(
        award=award, user=request.user, page="contract entry")})
    if request.method == "POST" and form.is_valid():
        try:
            contract = contract_services.contract_enter(award=award, actor=request.user,
                                                        **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Contract entered. Publish the contract details notice "
                                      "within 30 days.")
            return redirect("commissioning:contract", pk=contract.pk)
    return render(request, "commissioning/awards/contract_form.html", {
        "award": award, "form": form,
        "first_day": contract_services.contract_can_start_on(award)})


@login_required
def contract(request, pk: int):
    contract = selectors.contract_get_for_user(user=request.user, pk=pk)
    form = KpiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract_services.contract_kpi_add(contract=contract, actor=request.user,
                                               **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, f"KPI “{form.cleaned_data['name']}” added.")
            return redirect("commissioning:contract", pk=pk)
    return render(request, "commissioning/awards/contract.html",
                  {**selectors.contract_context(contract=contract, user=request.user),
                   "form": form, "presenter": ContractPresenter(contract, request.user)})


@login_required
def contract_list(request):
    filterset = ContractFilter(request.GET or None,
                               queryset=selectors.contracts_for_user(user=request.user))
    page = paginate(request, filterset.qs)
    return render(request, "commissioning/awards/contract_list.html", {
        "filter": filterset, "page_obj": page, "rows": contract_rows(page.object_list)})


@login_required
@require_POST
def contract_kpi_remove(request, pk: int, kpi_pk: int):
    contract = selectors.contract_get_for_user(user=request.user, pk=pk,
                                               perm="commissioning.manage_contract")
    try:
        contract_services.contract_kpi_remove(kpi=selectors.kpi_get(contract, kpi_pk),
                                              actor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect("commissioning:contract", pk=pk)


@login_required
@require_POST
def contract_details_publish(request, pk: int):
    contract = selectors.contract_get_for_user(user=request.user, pk=pk,
                                               perm="commissioning.manage_contract")
    try:
        contract_services.contract_details_publish(contract=contract, actor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, "Contract details notice published.")
    return redirect("commissioning:contract", pk=pk)


@login_required
def contract_terminate(request, pk: int):
    contract = selectors.contract_get_for_user(user=request.user, pk=pk,
                                               perm="commissioning.manage_contract")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract_services.contract_terminate(contract=contract, actor=request.user,
                                                 **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="reason")
        else:
            messages.success(request, "Contract termination recorded.")
            return redirect("commissioning:contract", pk=pk)
    return render(request, "commissioning/awards/terminate.html", {"contract": contract,
                                                                    "form": form})


@login_required
def feedback(request, pk: int):
    summary = selectors.feedback_for_user(user=request.user, bid_pk=pk)
    return render(request, "commissioning/feedback/detail.html", {
        "summary": summary, "content": summary.content,
        "rows": selectors.feedback_rows(summary.content)})
