"""Opening, the panel, conflict declarations, scoring, moderation and the ranking."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commissioning.forms.evaluation import (
    ConflictForm,
    DelegationForm,
    DelegationRecallForm,
    DelegationSummariesForm,
    EvaluationFilter,
    ModerationForm,
    PanelMemberForm,
    ScoresForm,
)
from commissioning.selectors import citizens_delegation as delegation_selectors
from commissioning.selectors import evaluation as selectors
from commissioning.selectors.bids import bid_content
from commissioning.services import citizens_delegation as delegation_services
from commissioning.services import evaluation as services
from commissioning.services import opening as opening_services
from commissioning.views.common import paginate
from core.forms.errors import attach_errors


def _flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def opening(request, pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk,
                                           perm="commissioning.open_bids")
    if request.method == "POST":
        action = (opening_services.opening_confirm if request.POST.get("action") == "confirm"
                  else opening_services.opening_request)
        try:
            action(tender=tender, actor=request.user)
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, "Bids opened." if action is opening_services.
                             opening_confirm else "Opening requested: a colleague must confirm.")
        return redirect("commissioning:opening", pk=pk)
    return render(request, "commissioning/evaluation/opening.html",
                  selectors.opening_context(tender=tender, user=request.user))


@login_required
def panel(request, pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk,
                                           perm="commissioning.manage_panel")
    form = PanelMemberForm(request.POST or None, candidates=selectors.panel_candidates(tender))
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluator_add(tender=tender, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="user")
        else:
            messages.success(request, f"{form.cleaned_data['user']} added to the panel.")
            return redirect("commissioning:panel", pk=pk)
    return render(request, "commissioning/evaluation/panel.html", {
        "tender": tender, "form": form, "members": selectors.panel_members(tender)})


@login_required
@require_POST
def panel_remove(request, pk: int, member_pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk,
                                           perm="commissioning.manage_panel")
    member = selectors.panel_member_get(tender=tender, pk=member_pk)
    try:
        services.evaluator_remove(member=member, actor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, f"{member.user} removed from the panel.")
    return redirect("commissioning:panel", pk=pk)


@login_required
@require_POST
def evaluation_start(request, pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk,
                                           perm="commissioning.manage_panel")
    try:
        opening_services.evaluation_start(tender=tender, actor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect("commissioning:panel", pk=pk)
    messages.success(request, "Evaluation started: the panel has been told.")
    return redirect("commissioning:evaluation", pk=pk)


def evaluation_entry(tender, user) -> str:
    """Where a tender on the list leads this person: opening for those who open the bids,
    the conflicts declaration for the panel until the bids are open (roles are cached)."""
    if tender.status != "published":
        return reverse("commissioning:evaluation", args=[tender.pk])
    name = "opening" if user.has_perm("commissioning.open_bids", tender) else "conflicts"
    return reverse(f"commissioning:{name}", args=[tender.pk])


@login_required
def evaluation_list(request):
    filterset = EvaluationFilter(request.GET or None,
                                 queryset=selectors.tenders_for_evaluation(user=request.user))
    page = paginate(request, filterset.qs)
    return render(request, "commissioning/evaluation/list.html", {
        "filter": filterset, "page_obj": page,
        "rows": [(tender, evaluation_entry(tender, request.user)) for tender in page]})


def _delegation_form(tender, user, data=None):
    if not rules.has_perm("commissioning.delegate_questions", user, tender):
        return None
    return DelegationForm(data, questions=delegation_selectors.delegable_questions(tender),
                          panels=delegation_selectors.scoring_panels(tender=tender, user=user))


def _overview(request, tender, form):
    return render(request, "commissioning/evaluation/overview.html", {
        **selectors.evaluation_context(tender=tender, user=request.user),
        **delegation_selectors.delegation_context(tender=tender, user=request.user, form=form)})


@login_required
def evaluation(request, pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk,
                                           perm="commissioning.view_evaluation")
    return _overview(request, tender, _delegation_form(tender, request.user))


@login_required
@require_POST
def delegate(request, pk: int):
    """Put some evaluation questions to a citizens' panel (the tender's managers only)."""
    tender = selectors.tender_get_for_user(user=request.user, pk=pk,
                                           perm="commissioning.delegate_questions")
    form = _delegation_form(tender, request.user, request.POST)
    if form.is_valid():
        try:
            delegation = delegation_services.delegation_create(
                actor=request.user, tender=tender, panel=form.cleaned_data["panel"],
                questions=list(form.cleaned_data["questions"]))
        except ValidationError as error:
            attach_errors(form, error, default_field="questions")
        else:
            messages.success(request, f"The questions are with the citizens' panel "
                             f"“{delegation.panel_title}”. Its facilitator opens the vote.")
            return redirect("commissioning:evaluation", pk=pk)
    return _overview(request, tender, form)


@login_required
def delegated_answers(request, pk: int, delegation_pk: int):
    """A citizens' panel member declares conflicts, then reads the answers as Bid A, Bid B…"""
    delegation = delegation_selectors.delegation_get_for_user(
        user=request.user, tender_pk=pk, pk=delegation_pk, perm="commissioning.score_delegated")
    tender = delegation.tender
    declaration = selectors.latest_declaration(request.user, tender)
    form = None
    if declaration is None:
        form = ConflictForm(request.POST or None,
                            bidders=delegation_selectors.bidders_for_declaration(delegation))
        if request.method == "POST" and form.is_valid():
            try:
                delegation_services.member_declare(actor=request.user, delegation=delegation,
                                                   **form.declaration())
            except ValidationError as error:
                attach_errors(form, error, default_field="has_conflict")
            else:
                messages.success(request, "Declaration recorded.")
                return redirect("commissioning:delegated_answers", pk=pk,
                                delegation_pk=delegation_pk)
    elif not rules.has_perm("commissioning.read_delegated_answers", request.user, delegation):
        raise PermissionDenied
    bids = (delegation_selectors.delegated_answers(delegation=delegation, user=request.user)
            if form is None else [])
    return render(request, "commissioning/evaluation/delegated_answers.html", {
        "tender": tender, "delegation": delegation, "form": form,
        "bids": bids, "has_summaries": any(a.summary for b in bids for a in b.answers),
        "vote_url": reverse("citizens:vote", args=[delegation.decision_id])})


@login_required
def delegation_summaries(request, pk: int, delegation_pk: int):
    """The tender's commissioners write an easy-read summary of each delegated answer."""
    delegation = delegation_selectors.delegation_get_for_user(
        user=request.user, tender_pk=pk, pk=delegation_pk,
        perm="commissioning.summarise_delegated")
    if request.method == "POST" and not delegation_selectors.summaries_open(delegation):
        messages.error(request, "The panel's vote has opened: the summaries cannot change now.")
        return redirect("commissioning:evaluation", pk=pk)
    bids = delegation_selectors.delegated_answers(delegation=delegation, user=request.user,
                                                  for_summary=True)
    form = DelegationSummariesForm(request.POST or None, bids=bids,
                                   max_chars=delegation_services.SUMMARY_MAX_CHARS)
    if request.method == "POST" and form.is_valid():
        try:
            count = delegation_services.delegation_summaries_save(
                actor=request.user, delegation=delegation, summaries=form.summaries())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, f"Summaries saved: {count} of {len(form.rows)} answers "
                             "have one.")
            return redirect(reverse("commissioning:evaluation", args=[pk]) + "#citizens-panel")
    return render(request, "commissioning/evaluation/delegation_summaries.html", {
        "tender": delegation.tender, "delegation": delegation, "form": form,
        "editable": delegation_selectors.summaries_open(delegation)})


@login_required
def delegation_recall(request, pk: int, delegation_pk: int):
    """Take delegated questions back before the panel's vote opens (a confirmation page)."""
    delegation = delegation_selectors.delegation_get_for_user(
        user=request.user, tender_pk=pk, pk=delegation_pk,
        perm="commissioning.recall_delegation")
    form = DelegationRecallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delegation_services.delegation_recall(actor=request.user, delegation=delegation,
                                                  reason=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(form, error, default_field="reason")
        else:
            messages.success(request, "The questions are back with the evaluators, and the "
                             "panel's draft vote is withdrawn.")
            return redirect(reverse("commissioning:evaluation", args=[pk]) + "#citizens-panel")
    return render(request, "commissioning/evaluation/delegation_recall.html", {
        "tender": delegation.tender, "delegation": delegation, "form": form,
        "questions": sorted(q.number for q in delegation.questions.all())})


@login_required
def conflicts(request, pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk,
                                           perm="commissioning.view_evaluation")
    form = ConflictForm(request.POST or None, bidders=selectors.bidders_of(tender))
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(tender=tender, actor=request.user, **form.declaration())
        except ValidationError as error:
            attach_errors(form, error, default_field="has_conflict")
        else:
            messages.success(request, "Declaration recorded.")
            return redirect("commissioning:evaluation", pk=pk)
    return render(request, "commissioning/evaluation/conflicts.html", {
        "tender": tender, "form": form,
        "previous": selectors.latest_declaration(request.user, tender)})


@login_required
def bid_evaluate(request, pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk, perm="commissioning.score_bid")
    if selectors.has_submitted(bid=bid, user=request.user):
        return redirect("commissioning:bid_scores", pk=pk)
    criteria = selectors.evaluator_criteria(bid.tender)
    form = ScoresForm(request.POST or None, criteria=criteria,
                      initial_scores=selectors.my_scores(bid=bid, user=request.user))
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.scores_save(bid=bid, actor=request.user, entries=form.entries(),
                                 submit=submit)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Scores submitted." if submit else "Draft scores saved.")
            return redirect("commissioning:bid_scores" if submit else "commissioning:bid_evaluate",
                            pk=pk)
    return render(request, "commissioning/evaluation/bid.html", selectors.bid_page_context(
        bid=bid, form=form, content=bid_content(bid=bid, user=request.user)))


@login_required
def bid_scores(request, pk: int):
    bid = selectors.bid_get_for_user(user=request.user, pk=pk,
                                     perm="commissioning.view_bid_scores")
    can_moderate = rules.has_perm("commissioning.moderate_bid", request.user, bid)
    form = ModerationForm(request.POST or None, criteria=selectors.evaluator_criteria(bid.tender),
                          initial_scores=selectors.moderated_scores(bid)) if can_moderate else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.moderation_save(bid=bid, actor=request.user, entries=form.entries())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Moderated scores saved.")
            return redirect("commissioning:evaluation", pk=bid.tender_id)
    return render(request, "commissioning/evaluation/scores.html",
                  selectors.scores_page_context(bid=bid, user=request.user, form=form))


@login_required
def ranking(request, pk: int):
    tender = selectors.tender_get_for_user(user=request.user, pk=pk,
                                           perm="commissioning.view_ranking")
    return render(request, "commissioning/evaluation/ranking.html", {
        "tender": tender,
        "rankings": selectors.rankings_by_lot_for_user(tender=tender, user=request.user)})
