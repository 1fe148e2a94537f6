"""Recognition requests: the officers' queue, a request, the decision, withdrawal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.forms.errors import attach_errors
from mutuals import presenters, selectors, services
from mutuals.forms import DefinitionVersionForm, RecognitionDecisionForm
from mutuals.models import Definition


@login_required
def queue(request):
    page = Paginator(selectors.recognition_queue(user=request.user), 25).get_page(
        request.GET.get("page"))
    return render(request, "mutuals/recognition/queue.html", {"page_obj": page})


@login_required
def recognition_detail(request, pk: int):
    recognition = selectors.recognition_get_for_user(user=request.user, pk=pk)
    return render(request, "mutuals/recognition/detail.html", {
        "recognition": recognition, "limbs": presenters.limb_rows(recognition.limb_results),
        "tag": presenters.recognition_tag(recognition, selectors.today()),
        "can_review": request.user.has_perm("mutuals.decide_recognition", recognition)
        and recognition.status == recognition.Status.REQUESTED,
        "can_withdraw": request.user.has_perm("mutuals.withdraw_recognition", recognition)
        and recognition.status == recognition.Status.REQUESTED})


@login_required
@require_http_methods(["GET", "POST"])
def recognition_review(request, pk: int):
    recognition = selectors.recognition_get_for_user(user=request.user, pk=pk,
                                                     perm="mutuals.decide_recognition")
    if recognition.status != recognition.Status.REQUESTED:
        return redirect("mutuals:recognition_detail", pk=recognition.pk)
    definition, evidence, results = services.recognition_assess(recognition=recognition)
    form = RecognitionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recognition_decide(
                actor=request.user, recognition=recognition,
                recognise=form.cleaned_data["decision"] == "recognise",
                reasons=form.cleaned_data["reasons"])
        except ValidationError as error:
            attach_errors(form, error, default_field="decision")
        else:
            messages.success(request, "Your decision is recorded and the organisation is told.")
            return redirect("mutuals:recognition_detail", pk=recognition.pk)
    profile = selectors.profile_of(organisation=recognition.organisation)
    return render(request, "mutuals/recognition/review.html", {
        "recognition": recognition, "definition": definition, "form": form,
        "limbs": presenters.limb_rows([r.as_dict() for r in results]),
        "evidence_rows": presenters.evidence_rows(profile), "profile": profile,
        "contracts": selectors.declared_contracts_of(organisation=recognition.organisation)})


@login_required
@require_POST
def recognition_withdraw(request, pk: int):
    recognition = selectors.recognition_get_for_user(user=request.user, pk=pk,
                                                     perm="mutuals.withdraw_recognition")
    try:
        services.recognition_withdraw(actor=request.user, recognition=recognition)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your request is withdrawn.")
    return redirect("mutuals:recognition_detail", pk=recognition.pk)


@login_required
@require_http_methods(["GET", "POST"])
def definition_new_version(request, key: str):
    if key not in Definition.Key.values:
        raise Http404
    if not request.user.has_perm("mutuals.change_definitions"):
        raise PermissionDenied
    current = selectors.definition_current(key=key)
    form = DefinitionVersionForm(request.POST or None, definition=current)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.definition_version_create(
                actor=request.user, key=key, thresholds=form.thresholds(),
                rationale=form.cleaned_data["rationale"], source=form.cleaned_data["source"],
                effective_from=form.cleaned_data["effective_from"])
        except ValidationError as error:
            attach_errors(form, error, default_field="rationale")
        else:
            messages.success(request, f"{created} is saved. Decisions already made keep the "
                                      "version they used.")
            return redirect("mutuals:definitions")
    return render(request, "mutuals/definitions/new_version.html",
                  {"definition": current, "form": form})
