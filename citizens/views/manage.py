"""Running a panel: create it, set quotas, take the pool, draw it, appoint, move phases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from citizens import presenters
from citizens.forms import AppointForm, DecisionForm, ImportForm, PanelForm, QuotaForm, SeedForm
from citizens.selectors import decisions as decision_selectors
from citizens.selectors import panels as selectors
from citizens.selectors import selection as selection_selectors
from citizens.services import decisions as decision_services
from citizens.services import panels as services
from citizens.services import recruitment, selection
from citizens.views.common import paginate, run_or_message
from core.forms.errors import attach_errors

MANAGE = "citizens.manage_panel"


@login_required
@require_GET
def manage_list(request):
    panels = selectors.managed_panels(user=request.user)
    return render(request, "citizens/manage/list.html", {
        "page_obj": paginate(request, panels),
        "can_create": selectors.authorities_for_new_panel(user=request.user).exists()})


@login_required
def panel_new(request):
    authority = selectors.authorities_for_new_panel(user=request.user).first()
    if authority is None:
        raise PermissionDenied("Only an authority's commissioners and admins create panels.")
    form = PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            panel = services.panel_create(actor=request.user, authority=authority,
                                          data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="title")
        else:
            messages.success(request, f"Panel “{panel.title}” created. Set its quotas next.")
            return redirect("citizens:manage", pk=panel.pk)
    return render(request, "citizens/manage/panel_form.html",
                  {"form": form, "authority": authority})


@login_required
@require_GET
def manage(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    return render(request, "citizens/manage/panel.html", {
        "panel": panel, "phase": presenters.phase_tag(panel),
        "actions": presenters.phase_actions(panel, request.user),
        "pool": selectors.pool_figures(panel=panel), "quotas": panel.quotas.all(),
        "runs": selection_selectors.runs_of(panel=panel),
        "problems": selection.feasibility(panel=panel) if panel.quotas.exists() else [],
        "members": selectors.members_of(panel=panel),
        "invited_count": selectors.invited_count(panel=panel),
        "decisions": decision_selectors.decisions_of(panel=panel, user=request.user),
        "appoint_form": AppointForm()})


@login_required
@require_POST
def invitations_resend(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    count = selection.invitations_resend(actor=request.user, panel=panel)
    messages.success(request, f"The invitation is sent again to {count} "
                              f"{'person' if count == 1 else 'people'}, with the same link."
                     if count else "Nobody is waiting for a reminder: invitations sent in the "
                                   "last 24 hours are not sent again.")
    return redirect("citizens:manage", pk=panel.pk)


@login_required
@require_POST
def move(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    run_or_message(request, lambda: services.panel_move(
        actor=request.user, panel=panel, name=request.POST.get("name", ""),
        reason=request.POST.get("reason", "")), "The panel has moved to its next phase.")
    return redirect("citizens:manage", pk=panel.pk)


@login_required
@require_POST
def registration(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    open_ = request.POST.get("open") == "1"
    run_or_message(request, lambda: services.panel_set_registration(
        actor=request.user, panel=panel, open_=open_),
        "Registration is open." if open_ else "Registration is closed.")
    return redirect("citizens:manage", pk=panel.pk)


@login_required
def quotas(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    initial = "\n".join(f"{q.feature} | {q.feature_label} | {q.value} | {q.value_label} | "
                        f"{q.minimum} | {q.maximum}" for q in panel.quotas.all())
    form = QuotaForm(request.POST or None, initial={"rows": initial})
    if request.method == "POST" and form.is_valid():
        try:
            recruitment.quotas_replace(actor=request.user, panel=panel,
                                       rows=form.cleaned_data["rows"])
        except ValidationError as error:
            attach_errors(form, error, default_field="rows")
        else:
            messages.success(request, "The quotas are saved.")
            return redirect("citizens:manage", pk=panel.pk)
    return render(request, "citizens/manage/quotas.html", {"panel": panel, "form": form})


@login_required
def pool_import(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = recruitment.pool_import(actor=request.user, panel=panel,
                                            csv_bytes=form.cleaned_data["file"].read())
        except ValidationError as error:
            attach_errors(form, error, default_field="file")
        else:
            messages.success(request, f"{count} people were added to the pool.")
            return redirect("citizens:manage", pk=panel.pk)
    return render(request, "citizens/manage/import.html", {
        "panel": panel, "form": form, "columns": recruitment.IMPORT_COLUMNS + [
            f.key for f in recruitment.features_of(panel) if f.key != recruitment.AGE_FEATURE]})


@login_required
@require_POST
def appoint(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    form = AppointForm(request.POST)
    person = selectors.account_by_email(email=request.POST.get("email", ""))
    if not form.is_valid() or person is None:
        messages.error(request, "Enter the email address of someone with an account, and a role.")
    else:
        run_or_message(request, lambda: services.membership_appoint(
            actor=request.user, panel=panel, user=person, role=form.cleaned_data["role"]),
            f"{person.full_name} is appointed.")
    return redirect("citizens:manage", pk=panel.pk)


@login_required
@require_POST
def selection_freeze(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm="citizens.run_selection")
    try:
        run = selection.selection_freeze(actor=request.user, panel=panel)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("citizens:manage", pk=panel.pk)
    messages.success(request, "The pool is frozen and its commitment is published. Now make "
                              "the public draw and enter its number.")
    return redirect("citizens:selection_run", pk=panel.pk, run_pk=run.pk)


@login_required
def selection_run(request, pk: int, run_pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm="citizens.run_selection")
    run = selection_selectors.run_get(panel=panel, pk=run_pk)
    form = SeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            selection.selection_seed(actor=request.user, run=run, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="seed")
        else:
            messages.success(request, "The seed is recorded and the selection is running.")
            return redirect("citizens:selection_run", pk=panel.pk, run_pk=run.pk)
    return render(request, "citizens/manage/selection_run.html", {
        "panel": panel, "run": run, "form": form,
        "report": selection_selectors.fairness_report(run=run)})


@login_required
def decision_new(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk,
                                         perm="citizens.manage_decision")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = decision_services.decision_create(
                actor=request.user, panel=panel, data=form.data_for_service(),
                options=form.cleaned_data["options"], criteria=form.cleaned_data["criteria"])
        except ValidationError as error:
            attach_errors(form, error, default_field="options")
        else:
            messages.success(request, "The decision is drafted. Open voting when ready.")
            return redirect("citizens:console", pk=decision.pk)
    return render(request, "citizens/manage/decision_form.html", {"panel": panel, "form": form})


@login_required
def decision_edit(request, pk: int):
    decision = decision_selectors.decision_get_for_user(user=request.user, pk=pk,
                                                        perm="citizens.manage_decision")
    if decision.status != decision.Status.DRAFT:
        messages.error(request, "Voting has opened: the decision's configuration is frozen.")
        return redirect("citizens:console", pk=decision.pk)
    form = DecisionForm(request.POST or None, initial=DecisionForm.initial_for(decision))
    if request.method == "POST" and form.is_valid():
        try:
            decision_services.decision_update(
                actor=request.user, decision=decision, data=form.data_for_service(),
                options=form.cleaned_data["options"], criteria=form.cleaned_data["criteria"])
        except ValidationError as error:
            attach_errors(form, error, default_field="options")
        else:
            messages.success(request, "The draft is saved.")
            return redirect("citizens:console", pk=decision.pk)
    return render(request, "citizens/manage/decision_form.html",
                  {"panel": decision.panel, "form": form, "decision": decision})
