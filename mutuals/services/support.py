"""Support for mutuals: apply, screen, assess behind a conflict gate, decide, and run the plan.

The grant part of a plan is made through the grants app's direct award, so it is agreed, paid,
monitored and published in 360Giving like every other grant: one payment machinery, not two.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.documents import DocumentPolicy, document_store
from core.notifications import notify
from grants.services.awards import grant_direct_award
from mutuals import support_rules
from mutuals.models import (
    AdviceDay,
    Adviser,
    AdviserAllocation,
    Milestone,
    SubsidyDeclaration,
    SupportApplication,
    SupportAssessment,
    SupportPlan,
    SupportScheme,
)
from mutuals.models.support import MILESTONE_TEMPLATE
from mutuals.selectors import today
from organisations.models import Organisation, Role
from organisations.selectors import admins_of

EVIDENCE_POLICY = DocumentPolicy(kinds=frozenset({"pdf", "docx", "odt", "xlsx", "ods"}))
CRITERIA = (  # key, label, weight (%)
    ("growth_case", "Strength of the growth or diversification case", 30),
    ("staff_engagement", "Staff engagement and support", 25),
    ("deliverability", "Deliverability of the plan", 25),
    ("value_for_money", "Value for money", 20),
)
APPLICATION_FIELDS = (
    "in_england", "definition_key", "trading_since", "on_first_contract", "growth_case",
    "match_funding", "services_and_model", "england_share_percent", "transformation_plans",
    "senior_sponsor", "support_needed", "grant_requested", "advisory_days_requested",
)
EOI_REQUIRED = {"services_and_model": "Describe the services and how you deliver them.",
                "transformation_plans": "Describe how you plan to change the services.",
                "senior_sponsor": "Name your senior sponsor."}
MILESTONE_SPACING_DAYS = 45


def _check(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _locked(application: SupportApplication) -> SupportApplication:
    return SupportApplication.objects.select_for_update().get(pk=application.pk)


def _officers(scheme: SupportScheme):
    from accounts.models import User

    return User.objects.filter(memberships__organisation=scheme.authority,
                               memberships__role=Role.PROGRAMME_OFFICER).distinct()


def _team(application: SupportApplication) -> list:
    people = [application.lead]
    if application.organisation_id:
        people += list(admins_of(organisation=application.organisation))
    return people


# -- applying ---------------------------------------------------------------------------------

@transaction.atomic
def application_start(*, actor, scheme: SupportScheme, kind: str, team_name: str = "",
                      parent_body: Organisation | None = None,
                      organisation: Organisation | None = None) -> SupportApplication:
    """Start a draft: a team names itself and its parent body; a mutual applies as itself."""
    if not actor.is_authenticated:
        raise PermissionDenied
    if not scheme.is_open:
        raise ValidationError("This support programme is not taking applications.")
    if kind == SupportApplication.Kind.TEAM:
        if not team_name.strip() or parent_body is None:
            raise ValidationError({"team_name": "Name your team and the public body it is in."})
        organisation = None
    else:
        if organisation is None or not actor.has_perm("mutuals.change_evidence", organisation):
            raise PermissionDenied("Only an administrator of the mutual can apply for it.")
    number = SupportApplication.objects.select_for_update().count() + 1
    application = SupportApplication.objects.create(
        scheme=scheme, kind=kind, lead=actor, team_name=team_name.strip(),
        parent_body=parent_body if kind == SupportApplication.Kind.TEAM else None,
        organisation=organisation, reference=f"MSP-{scheme.pk}-{number:04d}")
    audit_record(actor=actor, action="mutual_support.start", obj=application,
                 summary=f"Support application started: {application.applicant_name}",
                 organisation_id=scheme.authority_id)
    return application


def _draft(actor, application: SupportApplication) -> SupportApplication:
    application = _locked(application)
    _check(actor, "mutuals.change_support_application", application)
    if application.status != SupportApplication.Status.DRAFT:
        raise ValidationError("This application has been sent and can no longer change.")
    return application


@transaction.atomic
def application_save(*, actor, application: SupportApplication,
                     data: dict[str, Any]) -> SupportApplication:
    """Save the eligibility and expression-of-interest answers (a draft, any time)."""
    application = _draft(actor, application)
    for name in APPLICATION_FIELDS:
        if name in data:
            value = data[name]
            setattr(application, name, value.strip() if isinstance(value, str) else value)
    if application.kind == SupportApplication.Kind.MUTUAL and application.trading_since and (
            application.trading_since > today()):
        raise ValidationError({"trading_since": "The date it started trading must be in the "
                                                "past."})
    application.save()
    return application


@transaction.atomic
def subsidy_add(*, actor, application: SupportApplication,
                data: dict[str, Any]) -> SubsidyDeclaration:
    application = _draft(actor, application)
    if data["received_on"] > today():
        raise ValidationError({"received_on": "The date must be today or in the past."})
    return SubsidyDeclaration.objects.create(application=application, **data)


@transaction.atomic
def subsidy_remove(*, actor, subsidy: SubsidyDeclaration) -> None:
    _draft(actor, subsidy.application)
    subsidy.delete()


def eoi_problems(application: SupportApplication) -> list[str]:
    problems = [message for name, message in EOI_REQUIRED.items()
                if not getattr(application, name).strip()]
    if not application.support_needed:
        problems.append("Choose the support you need.")
    if not application.grant_requested and not application.advisory_days_requested:
        problems.append("Ask for advisory days, a grant, or both.")
    if application.advisory_days_requested > application.scheme.advisory_days_cap:
        problems.append(f"The programme offers at most {application.scheme.advisory_days_cap} "
                        "advisory days.")
    if application.grant_requested and application.kind == SupportApplication.Kind.TEAM:
        problems.append("A team still inside a public body can have advisory days; a grant "
                        "goes to an organisation once it is set up.")
    return problems


@transaction.atomic
def application_submit(*, actor, application: SupportApplication) -> SupportApplication:
    """Send the expression of interest: every eligibility rule must pass, every answer given."""
    application = _draft(actor, application)
    results = support_rules.screen(application, today())
    failed = [f"{r.label}: {r.reason}" for r in results if not r.passed]
    problems = failed + eoi_problems(application)
    if problems:
        raise ValidationError(problems)
    application.eligibility = [r.as_dict() for r in results]
    application.status = SupportApplication.Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save()
    audit_record(actor=actor, action="mutual_support.submit", obj=application,
                 summary=f"Support application {application.reference} sent",
                 organisation_id=application.scheme.authority_id)
    url = reverse("mutuals:support_application", args=[application.pk])
    notify(recipients=_officers(application.scheme),
           subject=f"Support application {application.reference}",
           body=f"{application.applicant_name} applied for support from "
                f"{application.scheme.name}.", url=url)
    notify(recipients=[actor], subject=f"Application {application.reference} received",
           body=f"Your application to {application.scheme.name} was received. Your reference "
                f"is {application.reference}.", url=url)
    return application


@transaction.atomic
def application_withdraw(*, actor, application: SupportApplication) -> SupportApplication:
    application = _locked(application)
    _check(actor, "mutuals.change_support_application", application)
    if application.status not in (SupportApplication.Status.DRAFT,
                                  SupportApplication.Status.SUBMITTED):
        raise ValidationError("A decided application cannot be withdrawn.")
    application.status = SupportApplication.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="mutual_support.withdraw", obj=application,
                 summary=f"Support application {application.reference} withdrawn",
                 organisation_id=application.scheme.authority_id)
    return application


# -- assessing and deciding -------------------------------------------------------------------

def _submitted(actor, application: SupportApplication, perm: str) -> SupportApplication:
    application = _locked(application)
    _check(actor, perm, application)
    if application.status != SupportApplication.Status.SUBMITTED:
        raise ValidationError("Only an application awaiting assessment can be assessed.")
    return application


@transaction.atomic
def assessment_declare(*, actor, application: SupportApplication, has_conflict: bool,
                       details: str = "") -> SupportAssessment:
    """The conflict gate: an officer declares before seeing the application's answers."""
    application = _submitted(actor, application, "mutuals.assess_support_application")
    if has_conflict and not details.strip():
        raise ValidationError({"details": "Describe the conflict of interest."})
    if SupportAssessment.objects.filter(application=application, assessor=actor).exists():
        raise ValidationError("You have already declared for this application.")
    assessment = SupportAssessment.objects.create(
        application=application, assessor=actor, has_conflict=has_conflict,
        conflict_details=details.strip())
    audit_record(actor=actor, action="mutual_support.declare", obj=application,
                 summary=("Conflict declared" if has_conflict else "No conflict declared")
                 + f" for {application.reference}",
                 organisation_id=application.scheme.authority_id)
    return assessment


def clear_assessment(application: SupportApplication, actor) -> SupportAssessment:
    assessment = SupportAssessment.objects.filter(application=application, assessor=actor).first()
    if assessment is None:
        raise PermissionDenied("Declare any conflict of interest first.")
    if assessment.has_conflict:
        raise PermissionDenied("You declared a conflict of interest with this applicant.")
    return assessment


@transaction.atomic
def assessment_score(*, actor, application: SupportApplication, scores: dict[str, int],
                     comments: dict[str, str], recommendation: str) -> SupportAssessment:
    application = _submitted(actor, application, "mutuals.assess_support_application")
    assessment = clear_assessment(application, actor)
    missing = [label for key, label, _ in CRITERIA
               if scores.get(key) is None or not (comments.get(key) or "").strip()]
    if missing:
        raise ValidationError([f"Give a score and a reason for: {label}." for label in missing])
    if recommendation not in {"support", "decline"}:
        raise ValidationError({"recommendation": "Recommend supporting or declining."})
    assessment.scores = {key: int(scores[key]) for key, _, _ in CRITERIA}
    assessment.comments = {key: comments[key].strip() for key, _, _ in CRITERIA}
    assessment.recommendation, assessment.submitted_at = recommendation, timezone.now()
    assessment.save()
    audit_record(actor=actor, action="mutual_support.score", obj=application,
                 summary=f"Assessment of {application.reference}: {weighted(assessment)}%",
                 organisation_id=application.scheme.authority_id)
    return assessment


def weighted(assessment: SupportAssessment) -> Decimal:
    """The weighted score as a percentage (each criterion scored 0 to 5)."""
    total = sum(Decimal(assessment.scores.get(key, 0)) * weight for key, _, weight in CRITERIA)
    return (total / 5).quantize(Decimal("0.1"))


@transaction.atomic
def application_decide(*, actor, application: SupportApplication, approve: bool,
                       feedback: str, advisory_days: int = 0,
                       grant_amount: Decimal = Decimal("0")) -> SupportApplication:
    """Agree support (a plan with milestones) or decline, with feedback either way.

    The decider must have declared no conflict, and at least one scored assessment must exist.
    """
    application = _submitted(actor, application, "mutuals.assess_support_application")
    clear_assessment(application, actor)
    if not application.assessments.filter(submitted_at__isnull=False,
                                          has_conflict=False).exists():
        raise ValidationError("Score the application before deciding.")
    if not feedback.strip():
        raise ValidationError({"feedback": "Give feedback: the applicant reads it."})
    if approve:
        _check_support(application, advisory_days, grant_amount)
    application.status = (SupportApplication.Status.APPROVED if approve
                          else SupportApplication.Status.DECLINED)
    application.decided_by, application.decided_at = actor, timezone.now()
    application.feedback = feedback.strip()
    application.save()
    if approve:
        _plan_create(application, advisory_days, grant_amount)
    verb = "approved" if approve else "declined"
    audit_record(actor=actor, action=f"mutual_support.{verb}", obj=application,
                 summary=f"Support application {application.reference} {verb}",
                 changes={"advisory_days": advisory_days, "grant": str(grant_amount)},
                 organisation_id=application.scheme.authority_id)
    notify(recipients=_team(application), subject=f"Decision on {application.reference}",
           body=f"Your application to {application.scheme.name} was "
                f"{'approved' if approve else 'not supported'}.\n\n{application.feedback}",
           url=reverse("mutuals:support_application", args=[application.pk]))
    return application


def _check_support(application, advisory_days: int, grant_amount: Decimal) -> None:
    scheme = application.scheme
    errors = {}
    if advisory_days < 0 or advisory_days > scheme.advisory_days_cap:
        errors["advisory_days"] = f"Between 0 and {scheme.advisory_days_cap} days."
    if grant_amount < 0 or grant_amount > scheme.grant_cap:
        errors["grant_amount"] = f"The grant can be at most {scheme.grant_cap:,.2f} pounds."
    if grant_amount and application.kind == SupportApplication.Kind.TEAM:
        errors["grant_amount"] = "A team inside a public body cannot receive a grant."
    if not advisory_days and not grant_amount:
        errors["advisory_days"] = "Agree advisory days, a grant, or both."
    if errors:
        raise ValidationError(errors)


def _plan_create(application, advisory_days: int, grant_amount: Decimal) -> SupportPlan:
    plan = SupportPlan.objects.create(application=application, advisory_days=advisory_days,
                                      grant_amount=grant_amount,
                                      last_progress_at=timezone.now())
    start = today()
    Milestone.objects.bulk_create(
        Milestone(plan=plan, key=key, title=title, position=n,
                  due_on=start + datetime.timedelta(days=MILESTONE_SPACING_DAYS * n))
        for n, (key, title) in enumerate(MILESTONE_TEMPLATE, start=1))
    return plan


# -- running the plan -------------------------------------------------------------------------

def _progress(plan: SupportPlan) -> None:
    SupportPlan.objects.filter(pk=plan.pk).update(last_progress_at=timezone.now())


@transaction.atomic
def support_grant_make(*, actor, plan: SupportPlan) -> SupportPlan:
    """Make the plan's grant as a direct award under the scheme's grants round."""
    plan = SupportPlan.objects.select_for_update(of=("self",)).select_related(
        "application__scheme__grants_round", "application__organisation").get(pk=plan.pk)
    _check(actor, "mutuals.make_support_grant", plan)
    application, scheme = plan.application, plan.application.scheme
    if plan.grant_award_id:
        raise ValidationError("The grant has already been made.")
    if not plan.grant_amount:
        raise ValidationError("This plan has no grant.")
    if scheme.grants_round is None:
        raise ValidationError("The programme has no direct-award grants round: ask a grant "
                              "manager to set one up.")
    start = today()
    award = grant_direct_award(
        actor=actor, round=scheme.grants_round, organisation=application.organisation,
        amount=plan.grant_amount,
        justification=f"Support for a public service mutual under {scheme.name}, agreed on "
                      f"{application.decided_at:%-d %B %Y} ({application.reference}).",
        title=f"Mutual support: {application.applicant_name}",
        description=application.growth_case[:2000], planned_start=start,
        planned_end=start + datetime.timedelta(days=365),
        # GovS 015 MR8 (comply or explain): the plan's milestones are the grant's outcomes.
        justifications={"mr8_measures": "The grant pays for a support plan whose outcomes are "
                                        "its spin-out milestones, each signed off with "
                                        "evidence by a programme officer."})
    plan.grant_award = award
    plan.save(update_fields=["grant_award", "updated_at"])
    audit_record(actor=actor, action="mutual_support.grant", obj=plan,
                 summary=f"Support grant made for {application.reference}",
                 organisation_id=scheme.authority_id)
    return plan


@transaction.atomic
def adviser_allocate(*, actor, plan: SupportPlan, adviser: Adviser, specialism: str,
                     days: Decimal) -> AdviserAllocation:
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    _check(actor, "mutuals.manage_support_plan", plan)
    if adviser.scheme_id != plan.application.scheme_id or not adviser.active:
        raise ValidationError({"adviser": "Choose an adviser on this programme's roster."})
    if specialism not in adviser.specialisms:
        raise ValidationError({"specialism": "This adviser is not approved for that kind of "
                                             "advice."})
    allocated = plan.allocations.aggregate(n=Sum("days"))["n"] or Decimal("0")
    if allocated + days > plan.advisory_days:
        raise ValidationError({"days": f"The plan has {plan.advisory_days} advisory days; "
                                       f"{allocated} are already allocated."})
    allocation = AdviserAllocation.objects.create(plan=plan, adviser=adviser,
                                                  specialism=specialism, days=days)
    audit_record(actor=actor, action="mutual_support.allocate", obj=plan,
                 summary=f"{days} days of {allocation.get_specialism_display().lower()} "
                         f"allocated to {adviser}",
                 organisation_id=plan.application.scheme.authority_id)
    notify(recipients=[adviser.user], subject="Advisory days allocated",
           body=f"You have {days} days to advise {plan.application.applicant_name}.",
           url=reverse("mutuals:support_plan", args=[plan.pk]))
    return allocation


@transaction.atomic
def advice_day_log(*, actor, allocation: AdviserAllocation, worked_on: datetime.date,
                   days: Decimal, summary: str) -> AdviceDay:
    allocation = AdviserAllocation.objects.select_for_update(of=("self",)).select_related(
        "plan__application", "adviser").get(pk=allocation.pk)
    _check(actor, "mutuals.log_advice", allocation)
    if worked_on > today():
        raise ValidationError({"worked_on": "Log days you have already worked."})
    logged = (allocation.days_logged.exclude(status=AdviceDay.Status.QUERIED)
              .aggregate(n=Sum("days"))["n"] or Decimal("0"))
    if logged + days > allocation.days:
        raise ValidationError({"days": f"{allocation.days} days were allocated and {logged} "
                                       "are logged already."})
    day = AdviceDay.objects.create(allocation=allocation, worked_on=worked_on, days=days,
                                   summary=summary.strip())
    _progress(allocation.plan)
    application = allocation.plan.application
    audit_record(actor=actor, action="mutual_support.day_logged", obj=day,
                 summary=f"{days} day(s) of advice logged for {application.reference}",
                 organisation_id=application.scheme.authority_id)
    notify(recipients=[application.lead], subject="Advice to sign off",
           body=f"{allocation.adviser} logged {days} day(s) of advice on {worked_on:%-d %B %Y}.",
           url=reverse("mutuals:advice_day_review", args=[day.pk]))
    return day


@transaction.atomic
def advice_day_review(*, actor, day: AdviceDay, sign_off: bool, query: str = "") -> AdviceDay:
    day = AdviceDay.objects.select_for_update(of=("self",)).select_related(
        "allocation__plan__application", "allocation__adviser__user").get(pk=day.pk)
    _check(actor, "mutuals.review_advice", day)
    if day.status != AdviceDay.Status.LOGGED:
        raise ValidationError("This day has already been reviewed.")
    if not sign_off and not query.strip():
        raise ValidationError({"query": "Say what is wrong, so the adviser can put it right."})
    day.status = AdviceDay.Status.SIGNED_OFF if sign_off else AdviceDay.Status.QUERIED
    day.reviewed_by, day.reviewed_at, day.query = actor, timezone.now(), query.strip()
    day.save()
    _progress(day.allocation.plan)
    audit_record(actor=actor, action=f"mutual_support.day_{day.status}", obj=day,
                 summary=f"Advice on {day.worked_on:%-d %B %Y} {day.get_status_display().lower()}",
                 organisation_id=day.allocation.plan.application.scheme.authority_id)
    if not sign_off:
        notify(recipients=[day.allocation.adviser.user], subject="Advice day queried",
               body=day.query, url=reverse("mutuals:support_plan",
                                           args=[day.allocation.plan_id]))
    return day


@transaction.atomic
def milestone_evidence_submit(*, actor, milestone: Milestone, note: str,
                              uploaded_file=None) -> Milestone:
    milestone = Milestone.objects.select_for_update(of=("self",)).select_related(
        "plan__application__scheme").get(pk=milestone.pk)
    _check(actor, "mutuals.submit_milestone", milestone.plan)
    if milestone.status == Milestone.Status.SIGNED_OFF:
        raise ValidationError("This milestone is already signed off.")
    if not note.strip() and uploaded_file is None and milestone.evidence_id is None:
        raise ValidationError({"note": "Describe what was done, or upload the evidence."})
    if uploaded_file is not None:
        milestone.evidence = document_store(uploaded_file=uploaded_file, actor=actor,
                                            policy=EVIDENCE_POLICY)
    milestone.evidence_note, milestone.status = note.strip(), Milestone.Status.SUBMITTED
    milestone.save()
    _progress(milestone.plan)
    scheme = milestone.plan.application.scheme
    audit_record(actor=actor, action="mutual_support.milestone_evidence", obj=milestone,
                 summary=f"Evidence for “{milestone.title}”", organisation_id=scheme.authority_id)
    notify(recipients=_officers(scheme), subject=f"Milestone to sign off: {milestone.title}",
           body=f"{milestone.plan.application.applicant_name} sent evidence for "
                f"“{milestone.title}”.", url=reverse("mutuals:milestone", args=[milestone.pk]))
    return milestone


@transaction.atomic
def milestone_review(*, actor, milestone: Milestone, sign_off: bool,
                     reason: str = "") -> Milestone:
    milestone = Milestone.objects.select_for_update(of=("self",)).select_related(
        "plan__application__scheme").get(pk=milestone.pk)
    _check(actor, "mutuals.manage_support_plan", milestone.plan)
    if milestone.status != Milestone.Status.SUBMITTED:
        raise ValidationError("There is no evidence waiting to be signed off.")
    if not sign_off and not reason.strip():
        raise ValidationError({"reason": "Say what more is needed."})
    if sign_off:
        milestone.status = Milestone.Status.SIGNED_OFF
        milestone.signed_off_by, milestone.signed_off_at = actor, timezone.now()
    else:
        milestone.status = Milestone.Status.NOT_STARTED
    milestone.save()
    _progress(milestone.plan)
    plan = milestone.plan
    if not plan.milestones.exclude(status=Milestone.Status.SIGNED_OFF).exists():
        SupportPlan.objects.filter(pk=plan.pk).update(status=SupportPlan.Status.COMPLETED)
    audit_record(actor=actor, action="mutual_support.milestone_" + (
        "signed_off" if sign_off else "returned"), obj=milestone,
        summary=f"“{milestone.title}” " + ("signed off" if sign_off else "returned"),
        changes={"reason": reason.strip()}, organisation_id=plan.application.scheme.authority_id)
    notify(recipients=_team(plan.application),
           subject=f"Milestone {'signed off' if sign_off else 'returned'}: {milestone.title}",
           body=reason.strip() or f"“{milestone.title}” is signed off.",
           url=reverse("mutuals:support_plan", args=[plan.pk]))
    return milestone
