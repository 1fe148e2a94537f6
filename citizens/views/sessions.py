"""Sessions, attendance, claims and payment runs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from citizens.forms import AttendanceForm, ClaimDecisionForm, ClaimForm, SessionForm
from citizens.rules import can
from citizens.selectors import panels as panel_selectors
from citizens.selectors import sessions as selectors
from citizens.services import sessions as services
from citizens.views.common import paginate, run_or_message
from core.forms.errors import attach_errors


@login_required
def session_new(request, pk: int):
    panel = panel_selectors.panel_get_for_user(user=request.user, pk=pk,
                                               perm="citizens.facilitate")
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, panel=panel,
                                              data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="title")
        else:
            messages.success(request, "The session is arranged and members are told.")
            return redirect("citizens:session", pk=panel.pk, session_pk=session.pk)
    return render(request, "citizens/sessions/form.html", {"panel": panel, "form": form})


@login_required
def session(request, pk: int, session_pk: int):
    panel = panel_selectors.panel_get_for_user(user=request.user, pk=pk)
    meeting = selectors.session_get(panel=panel, pk=session_pk)
    can_record = can(request.user, "citizens.record_attendance", panel)
    form = AttendanceForm(request.POST or None, members=panel_selectors.voting_members(
        panel=panel), existing=selectors.attendance_of(session=meeting)) if can_record else None
    if form is not None and request.method == "POST" and form.is_valid():
        run_or_message(request, lambda: services.attendance_record(
            actor=request.user, session=meeting, statuses=form.statuses()),
            "Attendance is recorded.")
        return redirect("citizens:session", pk=panel.pk, session_pk=meeting.pk)
    return render(request, "citizens/sessions/detail.html", {
        "panel": panel, "session": meeting, "form": form,
        "summary": selectors.attendance_summary(session=meeting),
        "materials": selectors.materials_of_session(session=meeting),
        "can_add_material": can(request.user, "citizens.facilitate", panel),
        "can_claim": selectors.may_claim(session=meeting, user=request.user)})


@login_required
def claim_new(request, pk: int, session_pk: int):
    panel = panel_selectors.panel_get_for_user(user=request.user, pk=pk,
                                               perm="citizens.claim_expenses")
    meeting = selectors.session_get(panel=panel, pk=session_pk)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_submit(actor=request.user, session=meeting, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="amount")
        else:
            messages.success(request, "Your claim is sent to the commissioning officer.")
            return redirect("citizens:claims", pk=panel.pk)
    return render(request, "citizens/sessions/claim_form.html",
                  {"panel": panel, "session": meeting, "form": form})


@login_required
@require_GET
def claims(request, pk: int):
    panel = panel_selectors.panel_get_for_user(user=request.user, pk=pk)
    approver = can(request.user, "citizens.approve_claims", panel)
    listed = selectors.claims_for(panel=panel, user=request.user, approver=approver)
    return render(request, "citizens/sessions/claims.html", {
        "panel": panel, "page_obj": paginate(request, listed), "approver": approver,
        "runs": selectors.payment_runs(panel=panel) if approver else [],
        "waiting": selectors.approved_unpaid_total(panel=panel) if approver else None})


@login_required
@require_POST
def claim_decide(request, pk: int, claim_pk: int):
    panel = panel_selectors.panel_get_for_user(user=request.user, pk=pk,
                                               perm="citizens.approve_claims")
    claim = selectors.claim_get(panel=panel, pk=claim_pk)
    form = ClaimDecisionForm(request.POST)
    if form.is_valid():
        run_or_message(request, lambda: services.claim_decide(
            actor=request.user, claim=claim, approve=form.cleaned_data["action"] == "approve",
            reason=form.cleaned_data["reason"]), "The claim is decided.")
    return redirect("citizens:claims", pk=panel.pk)


@login_required
@require_POST
def payment_run_new(request, pk: int):
    panel = panel_selectors.panel_get_for_user(user=request.user, pk=pk,
                                               perm="citizens.approve_claims")
    run_or_message(request, lambda: services.payment_run_create(actor=request.user, panel=panel),
                   "The payment run is made: download its bank file.")
    return redirect("citizens:claims", pk=panel.pk)


@login_required
@require_GET
def payment_run_csv(request, pk: int, run_pk: int):
    panel = panel_selectors.panel_get_for_user(user=request.user, pk=pk,
                                               perm="citizens.approve_claims")
    run = selectors.payment_run_get(panel=panel, pk=run_pk)
    response = HttpResponse(services.payment_run_csv(actor=request.user, run=run),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="payment-run-{run.pk}.csv"'
    return response
