"""The applicant's journey: start, task list, each step, check your answers, receipt, withdraw."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.documents import document_response, document_store
from grants import answers as answer_rules
from grants.forms.applying import DetailsForm, SectionForm, WithdrawForm
from grants.presenters import application_tag, deadline_text, task_list
from grants.selectors import applications as selectors
from grants.selectors import rounds as round_selectors
from grants.services import applications as services
from grants.views.common import form_page, paginate
from organisations.selectors import current_organisation
from socialvalue.selectors import catalogue_measures


def _own(request, pk: int, perm: str = "grants.view_application"):
    application = selectors.application_get_for_user(user=request.user, pk=pk, perm=perm)
    if not request.user.has_perm("grants.withdraw_application", application):
        raise Http404("No such application.")  # staff use the management pages
    return application


@login_required
@require_GET
def my_applications(request):
    page = paginate(request, selectors.applications_for_applicant(user=request.user))
    return render(request, "grants/applying/list.html", {
        "page_obj": page, "rows": [{"application": a, "tag": application_tag(a)} for a in page]})


@login_required
@require_http_methods(["GET", "POST"])
def application_start(request, pk: int):
    round_ = round_selectors.round_get_public(user=request.user, pk=pk)
    organisation = current_organisation(request)
    if request.method == "POST":
        if organisation is None:
            raise PermissionDenied
        try:
            application = services.application_start(actor=request.user, round_=round_,
                                                     organisation=organisation)
        except ValidationError as exc:
            return render(request, "grants/applying/start.html", {
                "round": round_, "organisation": organisation, "errors": exc.messages},
                status=400)
        return redirect("grants:application_tasks", pk=application.pk)
    return render(request, "grants/applying/start.html", {
        "round": round_, "organisation": organisation})


@login_required
@require_GET
def application_tasks(request, pk: int):
    application = _own(request, pk)
    if application.status != "draft":
        return redirect("grants:application_receipt", pk=application.pk)
    sections = round_selectors.sections_of(round_=application.round, stage=application.stage)
    answers = selectors.answers_by_question(application=application)
    return render(request, "grants/applying/tasks.html", {
        "application": application, "deadline": deadline_text(application),
        "tasks": task_list(application, sections, answers)})


@login_required
@require_GET
def application_organisation(request, pk: int):
    application = _own(request, pk)
    return render(request, "grants/applying/organisation.html", {
        "application": application, "organisation": application.organisation})


@login_required
@require_http_methods(["GET", "POST"])
def application_details(request, pk: int):
    application = _own(request, pk, perm="grants.edit_application")
    form = DetailsForm(request.POST or None, round_=application.round, initial={
        f: getattr(application, f) for f in services.CORE_FIELDS})
    return form_page(request, form, lambda f: services.application_details_save(
        actor=request.user, application=application, data=f.cleaned_data),
        success=reverse("grants:application_tasks", args=[pk]), message="Saved.",
        context={"caption": application.reference, "heading": "About your project",
                 "back": reverse("grants:application_tasks", args=[pk]),
                 "button": "Save and continue"})


@login_required
@require_http_methods(["GET", "POST"])
def application_section(request, pk: int, index: int):
    application = _own(request, pk, perm="grants.edit_application")
    sections = round_selectors.sections_of(round_=application.round, stage=application.stage)
    if not 1 <= index <= len(sections):
        raise Http404("No such section.")
    title, questions = sections[index - 1]
    form = SectionForm(request.POST or None, request.FILES or None, questions=questions,
                       answers=selectors.answers_by_question(application=application),
                       measures=catalogue_measures(authority=application.round.authority))
    return form_page(request, form, lambda f: _save_section(request, application, f),
                     success=reverse("grants:application_tasks", args=[pk]), message="Saved.",
                     context={"caption": application.reference, "heading": title,
                              "back": reverse("grants:application_tasks", args=[pk]),
                              "button": "Save and continue"})


def _save_section(request, application, form):
    uploads = {pk: document_store(uploaded_file=f, actor=request.user)
               for pk, f in form.uploads().items()}
    return services.application_answers_save(actor=request.user, application=application,
                                             values=form.values(), documents=uploads)


@login_required
@require_http_methods(["GET", "POST"])
def application_check(request, pk: int):
    """Check your answers, then submit (the deadline is checked by the server on submit)."""
    application = _own(request, pk, perm="grants.edit_application")
    errors = []
    if request.method == "POST":
        try:
            services.application_submit(actor=request.user, application=application)
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("grants:application_receipt", pk=pk)
    return render(request, "grants/applying/check.html", {
        "application": application, "errors": errors, "deadline": deadline_text(application),
        "summary": _summary(application, request.user),
        "problems": services.completeness_problems(application)},
        status=400 if errors else 200)


def _summary(application, user) -> list[dict]:
    answers = selectors.answers_by_question(application=application)
    editable = rules.has_perm("grants.edit_application", user, application)  # "Change" links
    cards = []
    sections = round_selectors.sections_of(round_=application.round, stage=application.stage)
    for index, (title, questions) in enumerate(sections, 1):
        href = (reverse("grants:application_section", args=[application.pk, index])
                if editable else None)
        cards.append({"title": title, "rows": [
            {"key": q.label, "value": answer_rules.display(q, answers.get(q.pk)),
             "action_href": href} for q in questions]})
    return cards


@login_required
@require_GET
def application_receipt(request, pk: int):
    application = _own(request, pk)
    return render(request, "grants/applying/receipt.html", {
        "application": application, "tag": application_tag(application),
        "receipt": selectors.latest_receipt(application=application),
        "summary": _summary(application, request.user), "deadline": deadline_text(application)})


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, pk: int):
    application = _own(request, pk, perm="grants.withdraw_application")
    form = WithdrawForm(request.POST or None)
    return form_page(request, form, lambda f: services.application_withdraw(
        actor=request.user, application=application, reason=f.cleaned_data["reason"]),
        success=reverse("grants:my_applications"), message="Your application is withdrawn.",
        context={"caption": application.reference, "heading": "Withdraw your application",
                 "intro": "You can withdraw until the deadline. You can apply again before "
                          "the deadline if you change your mind.",
                 "back": reverse("grants:application_receipt", args=[pk]),
                 "button": "Withdraw application", "warning": True})


@login_required
@require_GET
def application_letter(request, pk: int):
    application = _own(request, pk)
    decision = getattr(application, "decision", None)
    if decision is None or decision.letter_sent_at is None:
        messages.info(request, "There is no decision on this application yet.")
        return redirect("grants:application_receipt", pk=pk)
    return render(request, "grants/applying/letter.html", {
        "application": application, "decision": decision})


@login_required
@require_GET
def answer_document(request, pk: int, question_pk: int):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    answer = selectors.answers_by_question(application=application).get(question_pk)
    if answer is None or answer.document is None:
        raise Http404("No such file.")
    return document_response(answer.document)
