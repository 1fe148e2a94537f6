"""Clarification questions: suppliers ask; commissioners answer, publicly and anonymously."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from commissioning.forms.clarifications import AnswerClarificationForm, AskClarificationForm
from commissioning.selectors import tenders as selectors
from commissioning.selectors.stages import stage_of
from commissioning.services import clarifications as services
from core.forms.errors import attach_errors
from organisations.selectors import current_organisation


@login_required
def clarification_ask(request, pk: int):
    tender = selectors.tender_get_public(user=request.user, pk=pk)
    if not request.user.has_perm("commissioning.ask_clarification", tender):
        raise PermissionDenied
    form = AskClarificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.clarification_ask(actor=request.user, tender=tender,
                                       organisation=current_organisation(request),
                                       question=form.cleaned_data["question"])
        except ValidationError as error:
            attach_errors(form, error, default_field="question")
        else:
            return redirect("commissioning:clarification_asked", pk=tender.pk)
    return render(request, "commissioning/clarifications/ask.html",
                  {"form": form, "tender": tender})


@login_required
def clarification_asked(request, pk: int):
    tender = selectors.tender_get_public(user=request.user, pk=pk)
    return render(request, "commissioning/clarifications/asked.html", {"tender": tender})


@login_required
def clarification_admin_list(request, pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk)
    return render(request, "commissioning/clarifications/admin_list.html", {
        "tender": tender, "stage": stage_of(tender),
        "clarifications": selectors.clarifications_for_authority(tender=tender),
        "can_answer": request.user.has_perm("commissioning.answer_clarification", tender)})


@login_required
def clarification_answer(request, pk: int, clarification_pk: int):
    clarification = selectors.clarification_get_for_user(user=request.user, tender_pk=pk,
                                                         pk=clarification_pk)
    form = AnswerClarificationForm(request.POST or None,
                                   initial={"question": clarification.question})
    if request.method == "POST" and form.is_valid():
        try:
            services.clarification_answer(actor=request.user, clarification=clarification,
                                          **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="answer")
        else:
            messages.success(request, "Answer published to every interested supplier.")
            return redirect("commissioning:clarification_admin_list", pk=pk)
    return render(request, "commissioning/clarifications/answer.html",
                  {"form": form, "clarification": clarification,
                   "tender": clarification.tender, "stage": stage_of(clarification.tender)})
