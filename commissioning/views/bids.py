"""Bid pages: Your bids, the bid task list and its parts, submission, receipts, incidents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commissioning import receipts
from commissioning.forms import bids as forms
from commissioning.presenters.bids import bid_list_rows
from commissioning.presenters.countdown import countdown_for
from commissioning.selectors import bid_record
from commissioning.selectors import bids as selectors
from commissioning.services import bids as services
from commissioning.services.bids import checks
from commissioning.services.bids.clock import server_now
from core.forms.errors import attach_errors
from core.htmx import is_htmx, render_fragment
from core.outage import outage_action
from organisations.selectors import current_organisation

EDIT = "commissioning.change_bid"
SOCIAL_VALUE_PAGE = "commissioning/bids/social_value.html"


def _post(request):
    """The POST data on a POST (even when empty, so the form is bound), otherwise None."""
    return request.POST if request.method == "POST" else None


def _saved(request, result, form=None, field=None) -> bool:
    """Tell the user the draft was saved; True when they can move on."""
    if result.late is not None:
        (attach_errors(form, result.late, default_field=field) if form is not None
         else messages.error(request, " ".join(result.late.messages)))
        return False
    messages.success(request, "Your draft was saved.")
    return True


@login_required
def bid_list(request):
    organisation = current_organisation(request)
    filterset = forms.BidFilter(request.GET or None, queryset=selectors.bids_for_organisation(
        user=request.user, organisation=organisation))
    bids = bid_record.with_outcomes(filterset.qs)
    page = Paginator(bids, 25).get_page(request.GET.get("page"))
    return render(request, "commissioning/bids/list.html",
                  {"filter": filterset, "page_obj": page, "organisation": organisation,
                   "rows": bid_list_rows(page, organisation)})


@login_required
def bid_start(request, tender_pk: int):
    tender = selectors.tender_for_bidding(pk=tender_pk)
    form = forms.BidStartForm(_post(request), tender=tender)
    if request.method == "POST" and form.is_valid():
        try:
            bid = services.bid_start(tender=tender, organisation=current_organisation(request),
                                     actor=request.user, lot=form.cleaned_data.get("lot"),
                                     received_at=request.received_at)
        except ValidationError as error:
            attach_errors(form, error, default_field="lot")
        else:
            return redirect("commissioning:bid_detail", pk=bid.pk)
    return render(request, "commissioning/bids/start.html", {"tender": tender, "form": form})


@login_required
def bid_detail(request, pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk)
    countdown = countdown_for(bid=bid, now=server_now())
    if is_htmx(request):  # the countdown refreshing itself
        return render_fragment(request, "commissioning/bids/detail.html", "countdown",
                               {"bid": bid, "countdown": countdown})
    overview = selectors.bid_overview(bid=bid, user=request.user)
    return render(request, "commissioning/bids/detail.html",
                  {"bid": bid, "overview": overview, "tender": bid.tender, "countdown": countdown,
                   "can_edit": request.user.has_perm(EDIT, bid)})


@login_required
def bid_answer(request, pk: int, question_pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk, perm=EDIT)
    question = selectors.bid_question_get(bid=bid, pk=question_pk)
    overview = selectors.bid_overview(bid=bid, user=request.user)
    form = forms.AnswerForm(_post(request), initial={"answer": overview.answer(question)})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.bid_answer_save(bid=bid, question=question, actor=request.user,
                                              text=form.cleaned_data["answer"],
                                              received_at=request.received_at)
        except ValidationError as error:
            attach_errors(form, error, default_field="answer")
        else:
            problem = checks.answer_problem(question, form.cleaned_data["answer"])
            if _saved(request, result, form, "answer") and not _too_long(form, problem):
                return redirect("commissioning:bid_detail", pk=bid.pk)
    return render(request, "commissioning/bids/answer.html",
                  {"bid": bid, "question": question, "form": form})


def _too_long(form, problem: str | None) -> bool:
    if problem and "words or fewer" in problem:
        form.add_error("answer", f"We saved your answer. {problem}.")
        return True
    return False


@login_required
def bid_price(request, pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk, perm=EDIT)
    price = selectors.bid_overview(bid=bid, user=request.user).payload.get("price") or {}
    form = forms.PriceForm(_post(request), initial={"total": price.get("total")},
                           adding_line="add_line" in request.POST)
    lines = forms.PriceLineFormSet(_post(request), prefix="line",
                                   initial=forms.price_lines(price, request.GET))
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        breakdown = [line for f in lines if (line := f.line())]
        try:
            result = services.bid_price_save(bid=bid, total=form.cleaned_data["total"],
                                             breakdown=breakdown, actor=request.user,
                                             received_at=request.received_at)
        except ValidationError as error:
            attach_errors(form, error, default_field="total")
        else:
            if "add_line" in request.POST:
                return redirect(reverse("commissioning:bid_price", args=[bid.pk]) + "?add_line=1")
            problem = checks.price_problem(result.payload["price"])
            if problem:
                form.add_error("total", f"We saved your price. {problem}.")
            elif _saved(request, result, form, "total"):
                return redirect("commissioning:bid_detail", pk=bid.pk)
    return render(request, "commissioning/bids/price.html",
                  {"bid": bid, "form": form, "lines": lines,
                   "line_errors": forms.formset_errors(lines)})


@login_required
def bid_social_value(request, pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk, perm=EDIT)
    plan = bid.tender.social_value_plan
    if plan is None:
        return redirect("commissioning:bid_detail", pk=bid.pk)
    saved = selectors.bid_overview(bid=bid, user=request.user).payload.get("social_value") or []
    blocks = forms.commitment_forms(_post(request), plan=plan, saved=saved)
    entries = forms.commitment_entries(blocks) if request.method == "POST" else saved
    if request.method == "POST" and all(block.is_valid() for block in blocks):
        result = services.bid_social_value_save(bid=bid, entries=entries, actor=request.user,
                                                received_at=request.received_at)
        if not [i for i in result.issues if i.severity == "error"] and _saved(request, result):
            return redirect("commissioning:bid_detail", pk=bid.pk)
    return render(request, SOCIAL_VALUE_PAGE,
                  _social_value_context(request, bid, plan, blocks, entries, live=False))


@login_required
@require_POST
def bid_social_value_check(request, pk: int):
    """The commitments checked as the bidder types (htmx), never saved: each block's problems
    and indicative value. Without JavaScript the page is checked when it is saved."""
    bid = selectors.bid_get_for_user(user=request.user, pk=pk, perm=EDIT)
    plan = bid.tender.social_value_plan
    if plan is None or not is_htmx(request):
        return redirect("commissioning:bid_social_value", pk=bid.pk)
    blocks = forms.commitment_forms(request.POST, plan=plan, saved=[])
    context = _social_value_context(request, bid, plan, blocks,
                                    forms.commitment_entries(blocks), live=True)
    return render_fragment(request, SOCIAL_VALUE_PAGE, "live_check", context)


def _social_value_context(request, bid, plan, blocks, entries, *, live: bool) -> dict:
    """The page's blocks with their checks; a fresh page with nothing saved shows none yet."""
    preview = (selectors.bid_commitments_preview(bid=bid, user=request.user, entries=entries)
               if entries or live or request.method == "POST" else selectors.CommitmentsPreview())
    check = forms.commitment_checks(blocks, preview, live=live)
    errors = [] if live or request.method != "POST" else (
        forms.commitment_errors(blocks) + check["summary"])
    return {"bid": bid, "plan": plan, "blocks": blocks, "check": check, "errors": errors}


@login_required
def bid_consortium(request, pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk, perm=EDIT)
    search = forms.ConsortiumSearchForm(request.GET or None)
    found = selectors.provider_search(query=request.GET.get("q", ""), exclude=[
        bid.organisation_id, *bid.members.values_list("organisation_id", flat=True)])
    form = forms.ConsortiumMemberForm(_post(request), organisations=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_consortium_member_add(bid=bid, actor=request.user,
                                               received_at=request.received_at,
                                               **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="organisation")
        else:
            messages.success(request, f"{form.cleaned_data['organisation']} was added.")
            return redirect("commissioning:bid_consortium", pk=bid.pk)
    return render(request, "commissioning/bids/consortium.html", {
        "bid": bid, "search": search, "form": form, "found": found,
        "members": bid.members.select_related("organisation")})


@login_required
@require_POST
def bid_consortium_remove(request, pk: int, member_pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk, perm=EDIT)
    member = selectors.bid_member_get(bid=bid, pk=member_pk)
    try:
        services.bid_consortium_member_remove(member=member, actor=request.user,
                                              received_at=request.received_at)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.organisation.name} was removed.")
    return redirect("commissioning:bid_consortium", pk=bid.pk)


@login_required
@outage_action("upload your document")
def bid_documents(request, pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk, perm=EDIT)
    slot_pk = request.POST.get("slot") or None
    slot = selectors.bid_slot_get(bid=bid, pk=slot_pk)
    form = forms.BidFileForm(_post(request), request.FILES or None,
                             prefix=f"slot{slot_pk or 'other'}")
    if request.method == "POST" and form.is_valid():
        try:
            bid_file = services.bid_file_add(bid=bid, slot=slot, actor=request.user,
                                             uploaded_file=form.cleaned_data["file"],
                                             received_at=request.received_at)
        except ValidationError as error:
            attach_errors(form, error, default_field="file")
        else:
            name = selectors.bid_file_name(bid_file=bid_file, user=request.user)
            messages.success(request, f"{name} was uploaded.")
            return redirect("commissioning:bid_documents", pk=bid.pk)
    overview = selectors.bid_overview(bid=bid, user=request.user)
    return render(request, "commissioning/bids/documents.html", {
        "bid": bid, "overview": overview, "failed_form": form if form.errors else None,
        "sections": forms.upload_sections(overview.slots, overview.files,
                                          failed=form if form.errors else None,
                                          failed_key=str(slot_pk or "other"))})


@login_required
def bid_file_download(request, pk: int, file_pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk)
    bid_file = selectors.bid_file_get_for_user(user=request.user, bid=bid, pk=file_pk)
    return selectors.bid_file_response(bid_file=bid_file, user=request.user)


@login_required
@require_POST
def bid_file_remove(request, pk: int, file_pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk, perm=EDIT)
    bid_file = selectors.bid_file_get_for_user(user=request.user, bid=bid, pk=file_pk)
    name = selectors.bid_file_name(bid_file=bid_file, user=request.user)
    try:
        services.bid_file_remove(bid_file=bid_file, actor=request.user,
                                 received_at=request.received_at)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{name} was removed.")
    return redirect("commissioning:bid_documents", pk=bid.pk)


@login_required
@outage_action("submit your bid")
def bid_submit(request, pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk, perm=EDIT)
    form = forms.DeclarationsForm(_post(request))
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.bid_submit(bid=bid, actor=request.user,
                                          declarations=form.declarations(),
                                          received_at=request.received_at)
        except services.BidIncomplete as error:
            problems = forms.problem_links(bid, error.problems)
        except ValidationError as error:
            if getattr(error, "code", None) == "submitted":  # a resent submission that went through
                return _already_submitted(request, bid)
            attach_errors(form, error)
        else:
            return redirect("commissioning:bid_receipt", pk=bid.pk, receipt_pk=receipt.pk)
    overview = selectors.bid_overview(bid=bid, user=request.user)
    if request.method == "GET":
        form = forms.DeclarationsForm(initial=overview.payload.get("declarations") or {})
    return render(request, "commissioning/bids/submit.html",
                  {"bid": bid, "overview": overview, "form": form, "problems": problems})


def _already_submitted(request, bid):
    bid.refresh_from_db(fields=["status"])
    receipt = selectors.latest_receipt(bid=bid)
    if receipt is None:
        return redirect("commissioning:bid_detail", pk=bid.pk)
    messages.info(request, "Your bid had already been submitted: this is its receipt. It was "
                  "recorded once.")
    return redirect("commissioning:bid_receipt", pk=bid.pk, receipt_pk=receipt.pk)


@login_required
@outage_action("withdraw your bid")
def bid_withdraw(request, pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk, perm=EDIT)
    form = forms.WithdrawForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_withdraw(bid=bid, actor=request.user, received_at=request.received_at)
        except ValidationError as error:
            attach_errors(form, error, default_field="confirm")
        else:
            messages.success(request, "Your bid was withdrawn. Submit it again before the "
                             "deadline if you still want it to be considered.")
            return redirect("commissioning:bid_detail", pk=bid.pk)
    return render(request, "commissioning/bids/withdraw.html", {"bid": bid, "form": form})


@login_required
def bid_receipt(request, pk: int, receipt_pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk)
    receipt = selectors.receipt_get_for_user(user=request.user, bid=bid, pk=receipt_pk)
    return render(request, "commissioning/bids/receipt.html",
                  {"bid": bid, "receipt": receipt, "tender": bid.tender,
                   "files": selectors.receipt_files_for_user(user=request.user,
                                                             receipt=receipt)})


@login_required
def bid_sent(request, pk: int):
    """The submitted bid, read-only, exactly as it was received, with its receipt."""
    sent = bid_record.sent_bid_for_user(user=request.user, pk=pk)
    return render(request, "commissioning/bids/sent.html",
                  {"sent": sent, "bid": sent.bid, "tender": sent.bid.tender,
                   "overview": sent.overview, "receipt": sent.receipt})


@login_required
def bid_receipt_print(request, pk: int, receipt_pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk)
    receipt = selectors.receipt_get_for_user(user=request.user, bid=bid, pk=receipt_pk)
    return render(request, "commissioning/bids/receipt_print.html",
                  {"bid": bid, "receipt": receipt, "tender": bid.tender,
                   "files": selectors.receipt_files_for_user(user=request.user,
                                                             receipt=receipt)})


@login_required
def bid_receipt_download(request, pk: int, receipt_pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk)
    receipt = selectors.receipt_get_for_user(user=request.user, bid=bid, pk=receipt_pk)
    files = selectors.receipt_files_for_user(user=request.user, receipt=receipt)
    response = HttpResponse(receipts.receipt_text(receipt, files=files),
                            content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{receipts.receipt_filename(receipt)}"')
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def tender_incident(request, tender_pk: int):
    tender = selectors.incident_tender_get(user=request.user, pk=tender_pk)
    form = forms.IncidentForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_incident_record(tender=tender, new_deadline=form.new_deadline(),
                                            reason=form.cleaned_data["reason"],
                                            actor=request.user)
        except ValidationError as error:
            attach_errors(form, _incident_fields(error), default_field="new_date")
        else:
            messages.success(request, "The deadline was extended and suppliers were told.")
            return redirect("commissioning:incident_tenders")
    return render(request, "commissioning/bids/incident.html", {"tender": tender, "form": form})


def _incident_fields(error: ValidationError) -> ValidationError:
    if hasattr(error, "error_dict") and "new_deadline" in error.error_dict:
        error.error_dict["new_date"] = error.error_dict.pop("new_deadline")
    return error


@login_required
def incident_tenders(request):
    if not request.user.has_perm("commissioning.record_incident"):
        raise PermissionDenied
    tenders = selectors.incident_tenders(user=request.user)
    page = Paginator(tenders, 25).get_page(request.GET.get("page"))
    return render(request, "commissioning/bids/incident_tenders.html", {"page_obj": page})
