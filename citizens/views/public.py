"""Public pages: the list of panels, a panel's page, registration, the fairness report,
invitations, guardian consent, and results with their recount download."""

import json

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from citizens import presenters
from citizens.filters import PanelFilter
from citizens.forms import GuardianForm, InvitationForm, RegistrationForm
from citizens.rules import can
from citizens.selectors import decisions as decision_selectors
from citizens.selectors import panels as selectors
from citizens.selectors import selection as selection_selectors
from citizens.services import recruitment, selection
from citizens.views.common import paginate
from core.forms.errors import attach_errors


@require_GET
def panel_list(request):
    panel_filter = PanelFilter(request.GET or None, queryset=selectors.public_panels())
    return render(request, "citizens/public/list.html", {
        "filter": panel_filter, "page_obj": paginate(request, panel_filter.qs)})


@require_GET
def panel_public(request, pk: int):
    panel = selectors.panel_get_public(pk=pk)
    return render(request, "citizens/public/panel.html", {
        "panel": panel, "phase": presenters.phase_tag(panel),
        "timeline": presenters.phase_timeline(panel),
        "run": selection_selectors.latest_public_run(panel=panel),
        "decisions": decision_selectors.closed_decisions(panel=panel),
        "in_space": can(request.user, "citizens.view_panel_space", panel)})


REGISTRATIONS_PER_HOUR = 20  # from one address to one panel: a household, a library PC


def _over_limit(request, panel) -> bool:
    key = f"citizens:register:{panel.pk}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > REGISTRATIONS_PER_HOUR
    except ValueError:  # expired between add and incr
        return False


def register(request, pk: int):
    panel = selectors.panel_get_public(pk=pk)
    if request.method == "POST" and _over_limit(request, panel):
        return render(request, "429.html", status=429)
    form = RegistrationForm(request.POST or None, panel=panel)
    if request.method == "POST" and form.is_valid():
        person = {**form.person(), "user": request.user if request.user.is_authenticated
                  else None}
        try:
            result = recruitment.pool_register(panel=panel, person=person)
        except ValidationError as error:
            attach_errors(form, error, default_field="email")
        else:
            request.session["citizens_registered"] = {
                "panel": panel.pk, "reference": result.entry.pseudonym,
                "household": result.shares_household}
            return redirect("citizens:register_done", pk=panel.pk)
    return render(request, "citizens/public/register.html", {"panel": panel, "form": form})


@require_GET
def register_done(request, pk: int):
    panel = selectors.panel_get_public(pk=pk)
    done = request.session.get("citizens_registered") or {}
    if done.get("panel") != panel.pk:
        return redirect("citizens:panel_public", pk=panel.pk)
    return render(request, "citizens/public/register_done.html", {
        "panel": panel, "reference": done["reference"], "household": done["household"]})


@require_GET
def fairness(request, pk: int):
    panel = selectors.panel_get_public(pk=pk)
    runs = selection_selectors.runs_of(panel=panel)
    reports = [selection_selectors.fairness_report(run=run) for run in runs]
    return render(request, "citizens/public/fairness.html", {"panel": panel, "reports": reports})


@login_required
def invitation(request, token: str):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = selection.invitation_respond(
                actor=request.user, token=token, accept=form.cleaned_data["answer"] == "accept",
                guardian_email=form.cleaned_data["guardian_email"])
        except ValidationError as error:
            attach_errors(form, error, default_field="answer")
        else:
            return render(request, "citizens/public/invitation_done.html",
                          {"membership": membership, "panel": membership.panel})
    return render(request, "citizens/public/invitation.html", {"form": form})


def guardian_consent(request, token: str):
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = selection.guardian_consent(
                token=token, guardian_name=form.cleaned_data["guardian_name"],
                consent=form.cleaned_data["answer"] == "yes")
        except ValidationError as error:
            attach_errors(form, error, default_field="guardian_name")
        else:
            return render(request, "citizens/public/guardian_done.html",
                          {"membership": membership, "panel": membership.panel})
    return render(request, "citizens/public/guardian.html", {"form": form})


@require_GET
def results(request, pk: int):
    decision = decision_selectors.decision_get_for_user(user=request.user, pk=pk,
                                                        perm="citizens.view_results")
    result = decision_selectors.result_for_user(decision=decision, user=request.user)
    response = getattr(decision, "response", None)
    return render(request, "citizens/public/results.html", {
        "decision": decision, "result": result, "table": presenters.result_rows(decision, result),
        "configuration": presenters.configuration_rows(decision),
        "named": decision_selectors.named_votes(decision=decision), "response": response,
        "updates": response.updates.all() if response else [],
        "can_respond": can(request.user, "citizens.respond", decision.panel)})


@require_GET
def export(request, pk: int):
    decision = decision_selectors.decision_get_for_user(user=request.user, pk=pk,
                                                        perm="citizens.view_results")
    document = decision_selectors.export_document(decision=decision)
    response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decision-{decision.pk}.json"'
    return response

