"""Voting, the facilitator console, paper ballots, and the authority's response."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from citizens import presenters
from citizens.ballot_forms import BallotForm
from citizens.forms import ImplementationForm, PaperNumberForm, PaperVotersForm, ResponseForm
from citizens.rules import can
from citizens.selectors import decisions as selectors
from citizens.services import decisions as services
from citizens.views.common import run_or_message
from core.forms.errors import attach_errors

MANAGE = "citizens.manage_decision"
PAPER = "citizens.enter_paper_ballots"


@login_required
def vote(request, pk: int):
    decision = selectors.decision_get_for_user(user=request.user, pk=pk)
    receipt = request.session.pop(f"citizens_receipt_{decision.pk}", None)
    voted = selectors.has_voted(decision=decision, user=request.user)
    can_vote = can(request.user, "citizens.vote", decision) and not voted
    form = BallotForm(request.POST or None, config=decision.config) if can_vote else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            token = services.ballot_cast(actor=request.user, decision=decision,
                                         content=form.content())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            request.session[f"citizens_receipt_{decision.pk}"] = token
            return redirect("citizens:vote", pk=decision.pk)
    return render(request, "citizens/decisions/vote.html", {
        "decision": decision, "form": form, "voted": voted, "receipt": receipt,
        "options": decision.config.get("options", []), "tag": presenters.decision_tag(decision),
        "on_roll": selectors.on_roll(decision=decision, user=request.user)})


@login_required
def console(request, pk: int):
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    return render(request, "citizens/decisions/console.html", {
        "decision": decision, "tag": presenters.decision_tag(decision),
        "turnout": selectors.turnout(decision=decision) if decision.config else None,
        "waiting": selectors.not_yet_voted(decision=decision),
        "options": decision.options.all(), "criteria": decision.criteria.all(),
        "can_paper": can(request.user, PAPER, decision.panel),
        "paper_problems": services.paper_discrepancies(decision)})


@login_required
@require_POST
def open_vote(request, pk: int):
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    run_or_message(request, lambda: services.decision_open(actor=request.user, decision=decision),
                   "Voting is open and the configuration is frozen.")
    return redirect("citizens:console", pk=decision.pk)


@login_required
@require_POST
def close_vote(request, pk: int):
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, perm=MANAGE)
    if run_or_message(request, lambda: services.decision_close(actor=request.user,
                                                               decision=decision),
                      "Voting is closed and the result is declared."):
        return redirect("citizens:results", pk=decision.pk)
    return redirect("citizens:console", pk=decision.pk)


@login_required
def paper(request, pk: int):
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, perm=PAPER)
    if not decision.is_open:
        messages.error(request, "Paper ballots are taken while voting is open.")
        return redirect("citizens:console", pk=decision.pk)
    voters = PaperVotersForm(request.POST if "mark" in request.POST else None,
                             entries=selectors.not_yet_voted(decision=decision))
    number = PaperNumberForm(request.POST if "key" in request.POST else None)
    ballot = BallotForm(request.POST if "key" in request.POST else None, config=decision.config)
    if "mark" in request.POST and voters.is_valid():
        run_or_message(request, lambda: services.paper_voters_mark(
            actor=request.user, decision=decision,
            user_ids=[int(u) for u in voters.cleaned_data["users"]]), "Marked on the roll.")
        return redirect("citizens:paper", pk=decision.pk)
    if "key" in request.POST and number.is_valid() and ballot.is_valid():
        try:
            services.paper_entry_add(actor=request.user, decision=decision,
                                     content=ballot.content(),
                                     paper_number=number.cleaned_data["paper_number"])
        except ValidationError as error:
            attach_errors(number, error, default_field="paper_number")
        else:
            messages.success(request, "Paper ballot keyed.")
            return redirect("citizens:paper", pk=decision.pk)
    return render(request, "citizens/decisions/paper.html", {
        "decision": decision, "voters": voters, "number": number, "ballot": ballot,
        "problems": services.paper_discrepancies(decision)})


@login_required
@require_POST
def paper_reconcile(request, pk: int):
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, perm=PAPER)
    run_or_message(request, lambda: services.paper_reconcile(actor=request.user,
                                                             decision=decision),
                   "The paper ballots agree and are counted.")
    return redirect("citizens:paper", pk=decision.pk)


@login_required
def respond(request, pk: int):
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, perm="citizens.respond")
    existing = getattr(decision, "response", None)
    form = (ImplementationForm if existing else ResponseForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if existing:
                services.implementation_update_add(actor=request.user, response=existing,
                                                   **form.cleaned_data)
            else:
                services.response_publish(actor=request.user, decision=decision,
                                          **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="note" if existing else "text")
        else:
            messages.success(request, "Published on the results page.")
            return redirect("citizens:results", pk=decision.pk)
    return render(request, "citizens/decisions/respond.html",
                  {"decision": decision, "form": form, "existing": existing})
