"""Grant managers: programmes, pooled funding, rounds, their forms, publishing, compliance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants import govs015
from grants.forms.manage import (
    AssessorForm,
    ContributionForm,
    CriterionForm,
    JustificationForm,
    OrganisationChoiceForm,
    ProgrammeForm,
    QuestionForm,
    ReasonForm,
    RoundForm,
)
from grants.presenters import round_tag
from grants.selectors import manage as manage_selectors
from grants.selectors import rounds as selectors
from grants.services import assessment as assessment_services
from grants.services import programmes as services
from grants.views.common import form_page, post_action
from grants.workflows import ROUND


def _authority(request):
    authority = manage_selectors.managed_authority(request)
    if authority is None:
        raise PermissionDenied("Only grant managers can create programmes.")
    return authority


@login_required
@require_GET
def manage_home(request):
    programmes = selectors.programmes_for_user(user=request.user)
    if not manage_selectors.is_staff(user=request.user):
        raise PermissionDenied
    return render(request, "grants/manage/home.html", {
        "programmes": programmes, "can_create": manage_selectors.managed_authority(request)})


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request):
    authority = _authority(request)
    form = ProgrammeForm(request.POST or None)
    return form_page(request, form, lambda f: services.programme_create(
        actor=request.user, authority=authority, data=f.cleaned_data),
        success=lambda p: reverse("grants:programme_manage", args=[p.pk]),
        message="Programme created.",
        context={"caption": authority.name, "heading": "New grant programme",
                 "back": reverse("grants:manage_home"), "button": "Create programme"})


@login_required
@require_GET
def programme_manage(request, pk: int):
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    return render(request, "grants/manage/programme.html", {
        "programme": programme, "can_manage": request.user.has_perm(
            "grants.manage_programme", programme),
        "rounds": [{"round": r, "tag": round_tag(r)}
                   for r in selectors.rounds_of(programme=programme)],
        "contributions": selectors.contributions_of(programme=programme),
        "pooled": selectors.pooled_total(programme=programme)})


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk: int):
    programme = selectors.programme_get_for_user(user=request.user, pk=pk,
                                                 perm="grants.manage_programme")
    form = ProgrammeForm(request.POST or None, instance=programme)
    return form_page(request, form, lambda f: services.programme_update(
        actor=request.user, programme=programme, data=f.cleaned_data),
        success=reverse("grants:programme_manage", args=[pk]), message="Programme saved.",
        context={"caption": programme.title, "heading": "Change the programme",
                 "back": reverse("grants:programme_manage", args=[pk])})


@login_required
@require_http_methods(["GET", "POST"])
def contribution_add(request, pk: int):
    programme = selectors.programme_get_for_user(user=request.user, pk=pk,
                                                 perm="grants.manage_programme")
    form = ContributionForm(request.POST or None, funders=manage_selectors.other_authorities(
        programme=programme))
    return form_page(request, form, lambda f: services.contribution_add(
        actor=request.user, programme=programme, **f.cleaned_data),
        success=reverse("grants:programme_manage", args=[pk]),
        message="Contribution recorded.", error_field="funder",
        context={"caption": programme.title, "heading": "Add a funder's contribution",
                 "intro": "Pooled funds: each public body's share of the programme.",
                 "back": reverse("grants:programme_manage", args=[pk])})


@login_required
@require_GET
def programme_compliance(request, pk: int):
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    return render(request, "grants/manage/compliance.html", {
        "programme": programme,
        "results": [(r, govs015.TRANSITION_LABELS.get(r.transition, r.transition))
                    for r in manage_selectors.rule_results(programme=programme)]})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request, pk: int):
    programme = selectors.programme_get_for_user(user=request.user, pk=pk,
                                                 perm="grants.manage_programme")
    form = RoundForm(request.POST or None)
    return form_page(request, form, lambda f: services.round_create(
        actor=request.user, programme=programme, data=f.cleaned_data),
        success=lambda r: reverse("grants:round_manage", args=[r.pk]), message="Round created.",
        context={"caption": programme.title, "heading": "New round",
                 "back": reverse("grants:programme_manage", args=[pk]),
                 "button": "Create round"})


@login_required
@require_GET
def round_manage(request, pk: int):
    round_ = selectors.round_get_for_user(user=request.user, pk=pk)
    return render(request, "grants/manage/round.html", {
        "round": round_, "tag": round_tag(round_),
        "can_manage": request.user.has_perm("grants.manage_round", round_),
        "criteria": selectors.criteria_of(round_=round_),
        "questions": selectors.questions_of(round_=round_),
        "assessors": manage_selectors.assessors_of(round_=round_),
        "invitations": manage_selectors.invitations_of(round_=round_),
        "moves": [t for t in ROUND.available(round_, request.user) if t.name != "publish"]})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk: int):
    round_ = selectors.round_get_for_user(user=request.user, pk=pk, perm="grants.manage_round")
    form = RoundForm(request.POST or None, instance=round_)
    return form_page(request, form, lambda f: services.round_update(
        actor=request.user, round_=round_, data=f.cleaned_data),
        success=reverse("grants:round_manage", args=[pk]), message="Round saved.",
        context={"caption": round_.programme.title, "heading": "Change the round",
                 "back": reverse("grants:round_manage", args=[pk])})


@login_required
@require_http_methods(["GET", "POST"])
def criterion_add(request, pk: int):
    round_ = selectors.round_get_for_user(user=request.user, pk=pk, perm="grants.manage_round")
    form = CriterionForm(request.POST or None)
    return form_page(request, form, lambda f: services.criterion_save(
        actor=request.user, round_=round_, data=f.cleaned_data),
        success=reverse("grants:round_manage", args=[pk]), message="Criterion added.",
        context={"caption": round_.title, "heading": "Add an assessment criterion",
                 "back": reverse("grants:round_manage", args=[pk])})


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int, question_pk: int | None = None):
    round_ = selectors.round_get_for_user(user=request.user, pk=pk, perm="grants.manage_round")
    question = manage_selectors.question_of(round_=round_, pk=question_pk) if question_pk \
        else None
    initial = {"stage": request.GET.get("stage")} if request.GET.get("stage") in (
        "eoi", "full") else {}
    form = QuestionForm(request.POST or None, instance=question, initial=initial,
                        two_stage=round_.is_two_stage)
    return form_page(request, form, lambda f: services.question_save(
        actor=request.user, round_=round_, data=f.cleaned_data, question=question),
        success=reverse("grants:round_manage", args=[pk]), message="Question saved.",
        context={"caption": round_.title,
                 "heading": "Change the question" if question else "Add a question",
                 "back": reverse("grants:round_manage", args=[pk])})


@login_required
@require_POST
def question_delete(request, pk: int, question_pk: int):
    round_ = selectors.round_get_for_user(user=request.user, pk=pk, perm="grants.manage_round")
    question = manage_selectors.question_of(round_=round_, pk=question_pk)
    return post_action(request, lambda: services.question_delete(actor=request.user,
                                                                 question=question),
                       success=reverse("grants:round_manage", args=[pk]),
                       message="Question removed.")


@login_required
@require_http_methods(["GET", "POST"])
def round_invite(request, pk: int):
    round_ = selectors.round_get_for_user(user=request.user, pk=pk, perm="grants.manage_round")
    form = OrganisationChoiceForm(request.POST or None,
                                  queryset=manage_selectors.invitable_organisations(),
                                  label="Organisation to invite")
    return form_page(request, form, lambda f: services.organisation_invite(
        actor=request.user, round_=round_, organisation=f.cleaned_data["organisation"]),
        success=reverse("grants:round_manage", args=[pk]), message="Organisation invited.",
        error_field="organisation",
        context={"caption": round_.title, "heading": "Invite an organisation",
                 "back": reverse("grants:round_manage", args=[pk])})


@login_required
@require_http_methods(["GET", "POST"])
def round_assessor(request, pk: int):
    round_ = selectors.round_get_for_user(user=request.user, pk=pk, perm="grants.manage_round")
    form = AssessorForm(request.POST or None,
                        queryset=manage_selectors.possible_assessors(round_=round_))
    return form_page(request, form, lambda f: assessment_services.assessor_assign(
        actor=request.user, round_=round_, assessor=f.cleaned_data["assessor"]),
        success=reverse("grants:round_manage", args=[pk]), message="Assessor assigned.",
        error_field="assessor",
        context={"caption": round_.title, "heading": "Assign an assessor",
                 "intro": "Assessors see no application until they have declared their "
                          "conflicts of interest.",
                 "back": reverse("grants:round_manage", args=[pk])})


@login_required
@require_http_methods(["GET", "POST"])
def round_publish(request, pk: int):
    """Publish: the workflow's checks, then GovS 015 (explain any "should" not met)."""
    round_ = selectors.round_get_for_user(user=request.user, pk=pk, perm="grants.manage_round")
    if round_.status != "draft":
        raise Http404("This round is already published.")
    outcomes = govs015.evaluate(govs015.PUBLISH_ROUND, round_)
    explain = [o for o in outcomes if not o.passed and o.rule.level == "should"
               and not (o.rule.id == "mr5_competition" and round_.direct_award_justification)]
    form = JustificationForm(request.POST or None, outcomes=explain)
    return form_page(request, form, lambda f: services.round_publish(
        actor=request.user, round_=round_, justifications=f.justifications()),
        success=reverse("grants:round_manage", args=[pk]), message="The round is published.",
        template="grants/manage/publish.html",
        context={"round": round_, "outcomes": outcomes,
                 "blockers": ROUND.blockers(round_, ROUND.find(round_, "publish"))})


@login_required
@require_http_methods(["GET", "POST"])
def round_move(request, pk: int, name: str):
    round_ = selectors.round_get_for_user(user=request.user, pk=pk, perm="grants.manage_round")
    transition = next((t for t in ROUND.available(round_, request.user) if t.name == name
                       and t.name != "publish"), None)
    if transition is None:
        raise Http404("That is not possible now.")
    form = ReasonForm(request.POST or None)
    if not transition.requires_reason:
        form.fields["reason"].required = False
    return form_page(request, form, lambda f: services.round_move(
        actor=request.user, round_=round_, name=name, reason=f.cleaned_data["reason"]),
        success=reverse("grants:round_manage", args=[pk]), message=f"{transition.label}: done.",
        error_field="reason",
        context={"caption": round_.title, "heading": transition.label,
                 "back": reverse("grants:round_manage", args=[pk]),
                 "button": transition.label})
