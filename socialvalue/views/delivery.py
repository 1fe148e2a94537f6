"""Delivery ledgers: committed against delivered, reporting with evidence, and review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from core.documents import document_response
from core.forms.errors import attach_errors
from socialvalue import hooks, selectors, services
from socialvalue.forms import DeliveryReportForm, ReviewForm
from socialvalue.navigation import home_context
from socialvalue.presenters import LedgerPresenter


@login_required
def ledger_list(request):
    page = Paginator(selectors.ledgers_for_user(user=request.user), 25).get_page(
        request.GET.get("page"))
    contexts = hooks.ledger_contexts(ledger.pk for ledger in page)
    rows = [(ledger, contexts[ledger.pk]) for ledger in page]
    return render(request, "socialvalue/ledgers/list.html", {
        "page_obj": page, "rows": rows, "show_home": bool(home_context(request)["sections"])})


@login_required
def ledger_detail(request, pk: int):
    ledger = selectors.ledger_get_for_user(user=request.user, pk=pk)
    return render(request, "socialvalue/ledgers/detail.html",
                  {"ledger": ledger, "presenter": LedgerPresenter(ledger, request.user)})


@login_required
def report_submit(request, target_pk: int):
    target = selectors.target_get_for_user(user=request.user, pk=target_pk)
    unit = target.commitment.plan_measure.measure.get_unit_display()
    form = DeliveryReportForm(request.POST or None, request.FILES or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.delivery_report_submit(
                actor=request.user, target=target, actual=form.cleaned_data["actual"],
                narrative=form.cleaned_data["narrative"],
                evidence_file=form.cleaned_data.get("evidence"))
        except ValidationError as error:
            attach_errors(form, error, default_field="actual")
        else:
            return redirect("socialvalue:report_submitted", pk=report.pk)
    return render(request, "socialvalue/ledgers/report_form.html",
                  {"target": target, "form": form, "ledger": target.ledger})


@login_required
def report_submitted(request, pk: int):
    report = selectors.report_get_for_user(user=request.user, pk=pk,
                                           perm="socialvalue.report_delivery")
    return render(request, "socialvalue/ledgers/report_submitted.html", {"report": report})


@login_required
def report_review(request, pk: int):
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    can_review = request.user.has_perm("socialvalue.review_delivery", report.target.ledger)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        if form.is_valid() and _decide(request, report, form):
            return redirect("socialvalue:ledger_detail", pk=report.target.ledger_id)
    return render(request, "socialvalue/ledgers/review.html",
                  {"report": report, "form": form, "can_review": can_review})


def _decide(request, report, form) -> bool:
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.delivery_report_review(actor=request.user, report=report, accept=accept,
                                        reason=form.cleaned_data["reason"])
    except ValidationError as error:
        attach_errors(form, error, default_field="decision")
        return False
    messages.success(request, "Report accepted." if accept else "Report rejected. The "
                     "supplier has been told why.")
    return True


@login_required
def report_evidence(request, pk: int):
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    if report.evidence is None:
        raise PermissionDenied
    return document_response(report.evidence)
