"""Awards: managers make and run them; recipients accept the agreement and report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.documents import document_store
from grants import govs015
from grants.filters import ManagerAwardFilter
from grants.forms import awarding as forms
from grants.forms.manage import JustificationForm
from grants.presenters import award_tag, report_tag
from grants.selectors import applications as application_selectors
from grants.selectors import awards as selectors
from grants.selectors import manage as manage_selectors
from grants.selectors import rounds as round_selectors
from grants.services import awards as services
from grants.services import monitoring as monitoring_services
from grants.services import payments as payment_services
from grants.views.common import form_page, paginate


def _managed(request, pk: int):
    return selectors.award_get_for_user(user=request.user, pk=pk, perm="grants.manage_award")


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}"


def _back(award) -> str:
    return reverse("grants:award_manage", args=[award.pk])


def _context(award, heading: str, **extra) -> dict:
    return {"caption": f"{award.reference} · {award.recipient.name}", "heading": heading,
            "back": _back(award), **extra}


@login_required
@require_http_methods(["GET", "POST"])
def award_create(request, pk: int):
    application = application_selectors.application_get_for_user(
        user=request.user, pk=pk, perm="grants.manage_application")
    form = forms.AwardForm(request.POST or None,
                           repayable=application.round.instrument == "repayable")
    return form_page(request, form, lambda f: services.award_make(
        actor=request.user, application=application,
        planned_start=f.cleaned_data["planned_start"], planned_end=f.cleaned_data["planned_end"],
        conditions=f.cleaned_data["condition_list"], repayment=f.repayment(),
        justifications={"mr8_measures": "Outcomes to be agreed in the first report"}
        if request.POST.get("no_measures") else None),
        success=lambda a: _back(a), message="Offer made: the recipient has been told.",
        context={"caption": application.reference, "heading": "Make the offer",
                 "back": reverse("grants:application_manage", args=[pk]),
                 "button": "Make the offer"})


@login_required
@require_http_methods(["GET", "POST"])
def direct_award(request, pk: int):
    round_ = round_selectors.round_get_for_user(user=request.user, pk=pk,
                                                perm="grants.manage_round")
    form = forms.DirectAwardForm(request.POST or None,
                                 organisations=manage_selectors.invitable_organisations(),
                                 repayable=round_.instrument == "repayable")
    return form_page(request, form, lambda f: services.grant_direct_award(
        actor=request.user, round=round_, organisation=f.cleaned_data["organisation"],
        amount=f.cleaned_data["amount"], justification=f.cleaned_data["justification"],
        title=f.cleaned_data["title"], description=f.cleaned_data["description"],
        planned_start=f.cleaned_data["planned_start"], planned_end=f.cleaned_data["planned_end"],
        conditions=f.cleaned_data["condition_list"], repayment=f.repayment(),
        justifications={"mr8_measures": "Measures are agreed in the support plan"}),
        success=lambda a: _back(a), message="Direct award made.", error_field="amount",
        context={"caption": round_.title, "heading": "Make a direct award",
                 "back": reverse("grants:round_manage", args=[pk])})


@login_required
@require_GET
def awards_manage(request):
    if not manage_selectors.is_staff(user=request.user):
        raise PermissionDenied
    award_filter = ManagerAwardFilter(
        request.GET or None, queryset=selectors.awards_for_manager(user=request.user),
        programmes=round_selectors.programmes_for_user(user=request.user))
    page = paginate(request, award_filter.qs)
    return render(request, "grants/manage/awards.html", {
        "filter": award_filter, "page_obj": page,
        "rows": [{"award": a, "tag": award_tag(a)} for a in page]})


@login_required
@require_GET
def award_manage(request, pk: int):
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("grants.manage_award", award):
        raise PermissionDenied
    return render(request, "grants/manage/award.html", selectors.award_page(award=award) | {
        "tag": award_tag(award)})


@login_required
@require_GET
def award_detail(request, pk: int):
    """The recipient's view of their grant."""
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("grants.report_on_award", award):
        raise Http404("No such grant.")
    page = selectors.award_page(award=award)
    page["reports"] = [{"report": r, "tag": report_tag(r)} for r in page["reports"]]
    return render(request, "grants/recipient/award.html", page | {"tag": award_tag(award)})


@login_required
@require_GET
def my_grants(request):
    page = paginate(request, selectors.awards_for_recipient(user=request.user))
    return render(request, "grants/recipient/list.html", {
        "page_obj": page, "rows": [{"award": a, "tag": award_tag(a)} for a in page]})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_accept(request, pk: int):
    award = selectors.award_get_for_user(user=request.user, pk=pk,
                                         perm="grants.accept_agreement")
    form = forms.AcceptForm(request.POST or None)
    return form_page(request, form, lambda f: services.agreement_accept(
        actor=request.user, award=award, name=f.cleaned_data["name"],
        position=f.cleaned_data["position"]),
        success=reverse("grants:award_detail", args=[pk]),
        message="You have accepted the grant agreement.",
        template="grants/recipient/agreement.html",
        context={"award": award, "agreement": award.agreement})


@login_required
@require_http_methods(["GET", "POST"])
def report_submit(request, pk: int, report_pk: int):
    award = selectors.award_get_for_user(user=request.user, pk=pk,
                                         perm="grants.report_on_award")
    report = selectors.report_get_for_award(award=award, pk=report_pk)
    if report.status not in ("due", "returned"):
        raise Http404("This report is not waiting for you.")
    form = forms.ReportForm(request.POST or None,
                            measures=selectors.measures_of(award=award))
    return form_page(request, form, lambda f: monitoring_services.report_submit(
        actor=request.user, report=report, progress=f.cleaned_data["progress"],
        spend_to_date=f.cleaned_data["spend_to_date"], results=f.results()),
        success=reverse("grants:award_detail", args=[pk]), message="Report submitted.",
        context={"caption": award.reference,
                 "heading": f"Monitoring report {report.number}"
                            f"{' (final)' if report.is_final else ''}",
                 "intro": f"For {_day(report.period_start)} to {_day(report.period_end)}."
                          + (f" Returned: {report.review_comment}"
                             if report.status == "returned" else ""),
                 "back": reverse("grants:award_detail", args=[pk]), "button": "Submit report"})


# -- the manager's actions on an award ------------------------------------------------------

def _action(request, pk, form_class, run, heading, message, *, form_kwargs=None, **extra):
    award = _managed(request, pk)
    form = form_class(request.POST or None, request.FILES or None, **(form_kwargs or {}))
    return form_page(request, form, lambda f: run(award, f), success=_back(award),
                     message=message, context=_context(award, heading, **extra),
                     error_field=next(iter(form.fields), None))


def _evidence(request, form, field):
    upload = form.cleaned_data.get(field)
    return document_store(uploaded_file=upload, actor=request.user) if upload else None


@login_required
@require_http_methods(["GET", "POST"])
def due_diligence_add(request, pk: int):
    return _action(request, pk, forms.DueDiligenceForm, lambda a, f: services.due_diligence_record(
        actor=request.user, award=a, kind=f.cleaned_data["kind"],
        outcome=f.cleaned_data["outcome"], notes=f.cleaned_data["notes"],
        evidence=_evidence(request, f, "evidence")),
        "Record a due diligence check", "Due diligence recorded.",
        intro="Checked by hand against the register or documents; attach the evidence.")


@login_required
@require_http_methods(["GET", "POST"])
def condition_meet(request, pk: int, condition_pk: int):
    award = _managed(request, pk)
    condition = selectors.condition_of(award=award, pk=condition_pk)
    return _action(request, pk, forms.ConditionForm, lambda a, f: services.condition_meet(
        actor=request.user, condition=condition, evidence=f.cleaned_data["evidence"]),
        "Mark the condition as met", "Condition met.", intro=condition.text)


@login_required
@require_http_methods(["GET", "POST"])
def instalment_add(request, pk: int):
    return _action(request, pk, forms.InstalmentForm, lambda a, f: payment_services
                   .instalment_schedule(actor=request.user, award=a, **f.cleaned_data),
                   "Schedule an instalment", "Instalment scheduled.")


@login_required
@require_http_methods(["GET", "POST"])
def instalment_release(request, pk: int, instalment_pk: int):
    award = _managed(request, pk)
    instalment = selectors.instalment_get_for_award(award=award, pk=instalment_pk)
    blocks = selectors.payment_blocks(instalment=instalment)
    explain = [o for o in govs015.evaluate(govs015.RELEASE_PAYMENT, instalment)
               if not o.passed and o.rule.level == "should" and o.rule.id != "mpm_arrears"]
    form = forms.ReleaseForm(request.POST or None, request.FILES or None,
                             initial={"amount": instalment.amount})
    extra = JustificationForm(request.POST or None, outcomes=explain)
    form.fields.update(extra.fields)
    return form_page(request, form, lambda f: payment_services.instalment_release(
        actor=request.user, instalment=instalment, amount=f.cleaned_data["amount"],
        claim_notes=f.cleaned_data["claim_notes"],
        claim_evidence=_evidence(request, f, "claim_evidence"),
        justifications={k.removeprefix("justify_"): v for k, v in f.cleaned_data.items()
                        if k.startswith("justify_")}),
        success=_back(award), message="Payment released.", error_field="amount",
        template="grants/manage/release.html",
        context=_context(award, f"Pay instalment {instalment.number}", instalment=instalment,
                         blocks=blocks))


@login_required
@require_POST
def instalment_cancel(request, pk: int, instalment_pk: int):
    award = _managed(request, pk)
    instalment = selectors.instalment_get_for_award(award=award, pk=instalment_pk)
    from grants.views.common import post_action

    return post_action(request, lambda: payment_services.instalment_cancel(
        actor=request.user, instalment=instalment,
        reason=request.POST.get("reason") or "Cancelled by the grant manager"),
        success=_back(award), message="Instalment cancelled.")


@login_required
@require_http_methods(["GET", "POST"])
def recovery_add(request, pk: int):
    return _action(request, pk, forms.RecoveryForm, lambda a, f: payment_services
                   .recovery_record(actor=request.user, award=a, **f.cleaned_data),
                   "Record a recovery", "Recovery recorded.",
                   intro="An underspend returned, or money clawed back.")


@login_required
@require_http_methods(["GET", "POST"])
def repayment_trigger(request, pk: int):
    return _action(request, pk, forms.TriggerForm, lambda a, f: payment_services
                   .repayment_trigger(actor=request.user, award=a, **f.cleaned_data),
                   "Record that repayment is triggered", "Repayment trigger recorded.")


@login_required
@require_http_methods(["GET", "POST"])
def repayment_add(request, pk: int):
    return _action(request, pk, forms.RepaymentForm, lambda a, f: payment_services
                   .repayment_record(actor=request.user, award=a, **f.cleaned_data),
                   "Record a repayment", "Repayment recorded.")


@login_required
@require_http_methods(["GET", "POST"])
def write_off(request, pk: int):
    from grants.forms.manage import ReasonForm

    return _action(request, pk, ReasonForm, lambda a, f: payment_services.repayment_write_off(
        actor=request.user, award=a, reason=f.cleaned_data["reason"]),
        "Write off the repayable balance", "Balance written off.", warning=True)


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request, pk: int, report_pk: int):
    award = _managed(request, pk)
    report = selectors.report_get_for_award(award=award, pk=report_pk)
    return _action(request, pk, forms.ReviewForm, lambda a, f: monitoring_services
                   .report_review(actor=request.user, report=report, **f.cleaned_data),
                   f"Review monitoring report {report.number}", "Review recorded.",
                   rows=selectors.report_rows(report=report))


@login_required
@require_http_methods(["GET", "POST"])
def variation_add(request, pk: int):
    return _action(request, pk, forms.VariationForm, lambda a, f: monitoring_services
                   .variation_propose(actor=request.user, award=a, reason=f.cleaned_data[
                       "reason"], changes=f.changes()),
                   "Propose a variation", "Variation proposed: another manager approves it.")


@login_required
@require_http_methods(["GET", "POST"])
def variation_decide(request, pk: int, variation_pk: int):
    award = _managed(request, pk)
    variation = selectors.variation_of(award=award, pk=variation_pk)
    return _action(request, pk, forms.DecideForm, lambda a, f: monitoring_services
                   .variation_decide(actor=request.user, variation=variation,
                                     approve=f.cleaned_data["approve"]),
                   f"Decide variation {variation.version}", "Variation decided.",
                   rows=[{"key": k, "value": f"{variation.before.get(k)} → {v}"}
                         for k, v in variation.after.items()], intro=variation.reason)


@login_required
@require_http_methods(["GET", "POST"])
def annual_review(request, pk: int, review_pk: int):
    award = _managed(request, pk)
    review = selectors.annual_review_of(award=award, pk=review_pk)
    return _action(request, pk, forms.AnnualReviewForm, lambda a, f: monitoring_services
                   .annual_review_complete(actor=request.user, review=review, **f.cleaned_data),
                   f"Annual review, year {review.year}", "Annual review recorded.",
                   intro="Reconcile spend against plan and decide whether funding continues. "
                         "Next year's instalments wait for this review.")


@login_required
@require_http_methods(["GET", "POST"])
def award_close(request, pk: int):
    award = _managed(request, pk)
    explain = [o for o in govs015.evaluate(govs015.CLOSE_GRANT, award)
               if not o.passed and o.rule.level == "should"]
    form = forms.CloseForm(request.POST or None)
    form.fields.update(JustificationForm(outcomes=explain).fields)
    return form_page(request, form, lambda f: monitoring_services.award_close(
        actor=request.user, award=award, notes=f.cleaned_data["notes"],
        justifications={k.removeprefix("justify_"): v for k, v in f.cleaned_data.items()
                        if k.startswith("justify_")}),
        success=_back(award), message="The grant is closed.", error_field="notes",
        context=_context(award, "Close the grant", rows=[
            {"key": o.rule.title, "value": o.problem or "Met"}
            for o in govs015.evaluate(govs015.CLOSE_GRANT, award)]))
