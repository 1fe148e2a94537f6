"""The commissioner's screens for what a tender contains: lots, CPV codes, documents, bid
questions and the documents bids must include."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commissioning.forms.tenders import (
    CpvForm,
    DocumentSlotForm,
    LotForm,
    TenderDocumentForm,
    TenderQuestionForm,
    WithdrawDocumentForm,
)
from commissioning.selectors import tenders as selectors
from commissioning.services import tender_content as services
from commissioning.views.tenders import MANAGE, _to_form_fields
from core.forms.errors import attach_errors


def _tender(request, pk: int, perm: str = MANAGE):
    return selectors.tender_get_for_user(user=request.user, pk=pk, perm=perm)


def _child(queryset, pk: int):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _remove(request, tender, service, message: str, to: str, **kwargs):
    try:
        service(actor=request.user, tender=tender, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"commissioning:{to}", pk=tender.pk)
    return _saved(request, tender, message, to)


def _saved(request, tender, message: str, to: str):
    messages.success(request, message)
    return redirect(f"commissioning:{to}", pk=tender.pk)


@login_required
def tender_lots(request, pk: int):
    tender = _tender(request, pk, perm="commissioning.view_tender_admin")
    return render(request, "commissioning/tenders/lots.html",
                  {"tender": tender, "lots": tender.lots.all(),
                   "can_manage": request.user.has_perm(MANAGE, tender)})


@login_required
def lot_form(request, pk: int, lot_pk: int | None = None):
    tender = _tender(request, pk)
    lot = _child(tender.lots, lot_pk) if lot_pk else None
    form = LotForm(request.POST or None, instance=lot)
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.lot_save(actor=request.user, tender=tender, lot=lot,
                                    data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="title")
        else:
            return _saved(request, tender, f"Lot {lot.number} saved.", "tender_lots")
    return render(request, "commissioning/tenders/lot_form.html",
                  {"form": form, "tender": tender, "lot": lot})


@login_required
@require_POST
def lot_remove(request, pk: int, lot_pk: int):
    tender = _tender(request, pk)
    lot = _child(tender.lots, lot_pk)
    return _remove(request, tender, services.lot_remove, f"Lot {lot.number} removed.",
                   "tender_lots", lot=lot)


@login_required
def tender_cpv(request, pk: int):
    tender = _tender(request, pk)
    codes = list(tender.cpv_codes.order_by("-is_main", "code"))
    initial = {"codes": "\n".join(c.code for c in codes),
               "main": next((c.code for c in codes if c.is_main), "")}
    form = CpvForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_cpv_set(actor=request.user, tender=tender, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="codes")
        else:
            return _saved(request, tender, "CPV codes saved.", "tender_manage")
    return render(request, "commissioning/tenders/cpv.html", {"form": form, "tender": tender})


@login_required
def tender_documents(request, pk: int):
    tender = _tender(request, pk, perm="commissioning.view_tender_admin")
    form = TenderDocumentForm(request.POST or None, request.FILES or None, tender=tender)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.tender_document_add(
                actor=request.user, tender=tender, uploaded_file=data["file"],
                title=data["title"], new_deadline=data.get("new_deadline"),
                reason=data.get("reason", ""))
        except ValidationError as error:
            attach_errors(form, _to_form_fields(error), default_field="file")
        else:
            return _saved(request, tender, f"{data['title']} added.", "tender_documents")
    return render(request, "commissioning/tenders/documents.html", {
        "form": form, "tender": tender, "documents": selectors.all_documents(tender=tender),
        "can_manage": request.user.has_perm(MANAGE, tender)})


@login_required
def tender_document_withdraw(request, pk: int, document_pk: int):
    tender = _tender(request, pk)
    document = _child(tender.documents.filter(withdrawn_at__isnull=True), document_pk)
    form = WithdrawDocumentForm(request.POST or None, tender=tender)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_document_withdraw(
                actor=request.user, tender=tender, document=document,
                new_deadline=form.cleaned_data.get("new_deadline"),
                reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            attach_errors(form, _to_form_fields(error), default_field="new_deadline_date")
        else:
            return _saved(request, tender, f"{document.title} removed.", "tender_documents")
    return render(request, "commissioning/tenders/document_withdraw.html",
                  {"form": form, "tender": tender, "document": document})


@login_required
def tender_questions(request, pk: int):
    tender = _tender(request, pk, perm="commissioning.view_tender_admin")
    return render(request, "commissioning/tenders/questions.html", {
        "tender": tender, "questions": tender.questions.all(),
        "slots": tender.document_slots.all(), "can_manage": request.user.has_perm(MANAGE, tender)})


@login_required
def question_form(request, pk: int, question_pk: int | None = None):
    tender = _tender(request, pk)
    question = _child(tender.questions, question_pk) if question_pk else None
    form = TenderQuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.tender_question_save(actor=request.user, tender=tender,
                                                     question=question, data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="text")
        else:
            return _saved(request, tender, f"Question {question.number} saved.",
                          "tender_questions")
    return render(request, "commissioning/tenders/question_form.html",
                  {"form": form, "tender": tender, "question": question})


@login_required
@require_POST
def question_remove(request, pk: int, question_pk: int):
    tender = _tender(request, pk)
    question = _child(tender.questions, question_pk)
    return _remove(request, tender, services.tender_question_remove,
                   f"Question {question.number} removed.", "tender_questions", question=question)


@login_required
def slot_form(request, pk: int):
    tender = _tender(request, pk)
    form = DocumentSlotForm(request.POST or None, initial={"required": True})
    if request.method == "POST" and form.is_valid():
        try:
            slot = services.document_slot_save(actor=request.user, tender=tender,
                                               data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="name")
        else:
            return _saved(request, tender, f"{slot.name} added.", "tender_questions")
    return render(request, "commissioning/tenders/slot_form.html",
                  {"form": form, "tender": tender})


@login_required
@require_POST
def slot_remove(request, pk: int, slot_pk: int):
    tender = _tender(request, pk)
    slot = _child(tender.document_slots, slot_pk)
    return _remove(request, tender, services.document_slot_remove, f"{slot.name} removed.",
                   "tender_questions", slot=slot)
