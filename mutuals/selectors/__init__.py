"""Reads for mutual evidence, recognitions, definitions and the public register."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from core.calendar import local_date
from mutuals.models import (
    AdviceDay,
    Adviser,
    AdviserAllocation,
    DeclaredReservedContract,
    Definition,
    Milestone,
    MutualProfile,
    Recognition,
    SocialValueProfileEntry,
    SupportApplication,
    SupportAssessment,
    SupportPlan,
    SupportScheme,
)
from organisations.models import Organisation, Role
from organisations.selectors import roles_by_organisation
from socialvalue import selectors as socialvalue_selectors


def today() -> datetime.date:
    return local_date(timezone.now())


# -- definitions ------------------------------------------------------------------------------

def definition_current(*, key: str, on: datetime.date | None = None) -> Definition:
    """The version of definition `key` in force on `on` (today by default)."""
    day = on or today()
    definition = (Definition.objects.filter(key=key, effective_from__lte=day)
                  .order_by("-version").first())
    if definition is None:
        raise Definition.DoesNotExist(f"No {key} definition is in force on {day}.")
    return definition


def definitions_all() -> QuerySet[Definition]:
    return Definition.objects.select_related("created_by").order_by("key", "-version")


def definitions_in_force() -> list[Definition]:
    return [definition_current(key=key) for key in Definition.Key.values
            if Definition.objects.filter(key=key, effective_from__lte=today()).exists()]


# -- evidence ---------------------------------------------------------------------------------

def profile_of(*, organisation: Organisation) -> MutualProfile | None:
    return (MutualProfile.objects.filter(organisation=organisation)
            .select_related("parent_body", "governing_rules").prefetch_related("services")
            .first())


def organisation_get_for_user(*, user, pk: int, perm: str) -> Organisation:
    """The organisation whose mutual evidence the user asks for, if they may see it."""
    organisation = Organisation.objects.filter(pk=pk, kind=Organisation.Kind.PROVIDER).first()
    if organisation is None:
        raise Http404
    if not user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


def declared_contracts_of(*, organisation: Organisation) -> QuerySet[DeclaredReservedContract]:
    return DeclaredReservedContract.objects.filter(organisation=organisation)


def declared_reserved_contracts(*, organisation_id: int, authority_id: int,
                                first_day: datetime.date, last_day: datetime.date,
                                basis: str) -> QuerySet[DeclaredReservedContract]:
    """Contracts reserved for mutuals that the supplier declared it entered in the period."""
    return DeclaredReservedContract.objects.filter(
        organisation_id=organisation_id, authority_id=authority_id, basis=basis,
        entered_on__gte=first_day, entered_on__lte=last_day)


def declared_contract_get_for_user(*, user, pk: int) -> DeclaredReservedContract:
    contract = (DeclaredReservedContract.objects.select_related("organisation")
                .filter(pk=pk).first())
    if contract is None:
        raise Http404
    if not user.has_perm("mutuals.change_evidence", contract.organisation):
        raise PermissionDenied
    return contract


# -- recognitions -----------------------------------------------------------------------------

def recognised_under(*, organisation_id: int, key: str,
                     on: datetime.date) -> Recognition | None:
    """The recognition under definition `key` in force for the organisation on `on`, if any.

    This is what the reservation rule asks: recognition is decided from recorded evidence by
    a programme officer, and lapses unless re-confirmed.
    """
    return (Recognition.objects.filter(
        organisation_id=organisation_id, definition_key=key,
        status=Recognition.Status.RECOGNISED, valid_from__lte=on, valid_until__gte=on)
        .select_related("definition").order_by("-valid_until").first())


def current_recognitions(*, on: datetime.date | None = None) -> QuerySet[Recognition]:
    day = on or today()
    return Recognition.objects.filter(status=Recognition.Status.RECOGNISED,
                                      valid_from__lte=day, valid_until__gte=day)


def recognitions_of(*, organisation: Organisation) -> QuerySet[Recognition]:
    return (Recognition.objects.filter(organisation=organisation)
            .select_related("definition", "decided_by", "requested_by"))


def recognition_queue(*, user) -> QuerySet[Recognition]:
    if not user.has_perm("mutuals.review"):
        raise PermissionDenied
    return (Recognition.objects.filter(status=Recognition.Status.REQUESTED)
            .select_related("organisation", "requested_by").order_by("requested_at", "id"))


def recognition_get_for_user(*, user, pk: int,
                             perm: str = "mutuals.view_recognition") -> Recognition:
    recognition = (Recognition.objects.select_related(
        "organisation", "definition", "decided_by", "requested_by").filter(pk=pk).first())
    if recognition is None:
        raise Http404
    if not user.has_perm(perm, recognition):
        raise PermissionDenied
    return recognition


def recognitions_due_for_reconfirmation(*, within_days: int,
                                        on: datetime.date | None = None) -> QuerySet[Recognition]:
    """Current recognitions that lapse within `within_days`, with no later one replacing them."""
    day = on or today()
    later = Recognition.objects.filter(
        organisation=OuterRef("organisation"), definition_key=OuterRef("definition_key"),
        status=Recognition.Status.RECOGNISED, valid_until__gt=OuterRef("valid_until"))
    return (current_recognitions(on=day)
            .filter(valid_until__lte=day + datetime.timedelta(days=within_days))
            .exclude(Exists(later)).select_related("organisation"))


# -- the public register ----------------------------------------------------------------------

def register_organisations(*, on: datetime.date | None = None) -> QuerySet[Organisation]:
    """Organisations recognised as mutuals today under any definition, with what they meet."""
    day = on or today()
    current = current_recognitions(on=day)
    return (Organisation.objects.filter(Exists(current.filter(organisation=OuterRef("pk"))),
                                        mutual_profile__isnull=False)
            .select_related("mutual_profile", "mutual_profile__parent_body")
            .prefetch_related(
                Prefetch("mutual_recognitions",
                         queryset=current.select_related("definition")
                         .order_by("definition_key"), to_attr="current_recognitions"),
                "mutual_profile__services")
            .order_by("name", "pk"))


def register_entry(*, pk: int) -> Organisation:
    organisation = register_organisations().filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def public_history(*, organisation: Organisation) -> QuerySet[Recognition]:
    """Recognitions decided in the organisation's favour: never refusals or private evidence."""
    return (Recognition.objects.filter(organisation=organisation,
                                       status=Recognition.Status.RECOGNISED)
            .select_related("definition").order_by("-valid_from", "-id"))


def programme_officers() -> QuerySet[User]:
    return User.objects.filter(memberships__role=Role.PROGRAMME_OFFICER, is_active=True).distinct()


def social_value_profile(*, organisation_id: int) -> list:
    """The organisation's own social value (not a contract commitment), with its measures."""
    return list(SocialValueProfileEntry.objects.filter(profile__organisation_id=organisation_id)
                .select_related("measure__outcome"))


def catalogue_measures() -> QuerySet:
    """The national social value catalogue's measures (an organisation profile uses no
    authority's own measures)."""
    return socialvalue_selectors.catalogue_measures(authority=None)


def social_value_entry_get_for_user(*, user, pk: int) -> SocialValueProfileEntry:
    entry = (SocialValueProfileEntry.objects.select_related("profile__organisation", "measure")
             .filter(pk=pk).first())
    if entry is None:
        raise Http404
    if not user.has_perm("mutuals.change_evidence", entry.profile.organisation):
        raise PermissionDenied
    return entry


# -- support applications and plans -----------------------------------------------------------

def schemes_open() -> QuerySet[SupportScheme]:
    return SupportScheme.objects.filter(is_open=True).select_related("authority")


def scheme_get(*, pk: int) -> SupportScheme:
    scheme = SupportScheme.objects.select_related("authority").filter(pk=pk).first()
    if scheme is None:
        raise Http404
    return scheme


def _application_queryset() -> QuerySet[SupportApplication]:
    return SupportApplication.objects.select_related(
        "scheme__authority", "lead", "organisation", "parent_body").prefetch_related("subsidies")


def application_get_for_user(*, user, pk: int,
                             perm: str = "mutuals.view_support_application"
                             ) -> SupportApplication:
    application = _application_queryset().filter(pk=pk).first()
    if application is None:
        raise Http404
    if not user.has_perm(perm, application):
        raise PermissionDenied
    return application


def applications_for_user(*, user) -> QuerySet[SupportApplication]:
    """Applications the user leads or whose organisation they administer; for a programme
    officer, every submitted application to their authority's schemes too."""
    officer_of = [org for org, roles in roles_by_organisation(user=user).items()
                  if Role.PROGRAMME_OFFICER in roles]
    admin_of = [org for org, roles in roles_by_organisation(user=user).items()
                if Role.PROVIDER_ADMIN in roles]
    mine = Q(lead=user) | Q(organisation_id__in=admin_of)
    officer = Q(scheme__authority_id__in=officer_of) & ~Q(
        status=SupportApplication.Status.DRAFT)
    return _application_queryset().filter(mine | officer).order_by("-created_at", "-id")


def assessment_of(*, application: SupportApplication, user) -> SupportAssessment | None:
    return SupportAssessment.objects.filter(application=application, assessor=user).first()


def assessments_of(*, application: SupportApplication) -> QuerySet[SupportAssessment]:
    return SupportAssessment.objects.filter(application=application).select_related("assessor")


def advisers_of(*, scheme: SupportScheme) -> QuerySet[Adviser]:
    return Adviser.objects.filter(scheme=scheme, active=True).select_related("user")


def plan_get_for_user(*, user, pk: int, perm: str = "mutuals.view_support_plan") -> SupportPlan:
    plan = (SupportPlan.objects.select_related(
        "application__scheme__authority", "application__lead", "application__organisation",
        "grant_award").filter(pk=pk).first())
    if plan is None:
        raise Http404
    if not user.has_perm(perm, plan):
        raise PermissionDenied
    return plan


def plan_progress(*, plan: SupportPlan) -> dict:
    """Milestones, allocations with the days used, and the days awaiting sign-off."""
    allocations = list(plan.allocations.select_related("adviser__user")
                       .annotate(used=Sum("days_logged__days",
                                          filter=Q(days_logged__status="signed_off"))))
    days = list(AdviceDay.objects.filter(allocation__plan=plan)
                .select_related("allocation__adviser__user").order_by("-worked_on", "-id"))
    milestones = list(plan.milestones.select_related("evidence", "signed_off_by"))
    done = sum(1 for m in milestones if m.status == Milestone.Status.SIGNED_OFF)
    return {"allocations": allocations, "days": days, "milestones": milestones,
            "milestones_done": done, "milestones_total": len(milestones),
            "days_used": sum((a.used or 0) for a in allocations),
            "days_allocated": sum(a.days for a in allocations)}


def allocations_for_adviser(*, user) -> QuerySet[AdviserAllocation]:
    return (AdviserAllocation.objects.filter(adviser__user=user, adviser__active=True)
            .select_related("plan__application__organisation", "adviser")
            .annotate(used=Sum("days_logged__days")).order_by("-plan__created_at"))


def allocation_get_for_user(*, user, pk: int) -> AdviserAllocation:
    allocation = (AdviserAllocation.objects.select_related("adviser", "plan__application")
                  .filter(pk=pk).first())
    if allocation is None:
        raise Http404
    if not user.has_perm("mutuals.log_advice", allocation):
        raise PermissionDenied
    return allocation


def advice_day_get_for_user(*, user, pk: int) -> AdviceDay:
    day = (AdviceDay.objects.select_related("allocation__plan__application",
                                            "allocation__adviser__user").filter(pk=pk).first())
    if day is None:
        raise Http404
    if not user.has_perm("mutuals.review_advice", day):
        raise PermissionDenied
    return day


def milestone_get_for_user(*, user, pk: int) -> Milestone:
    milestone = (Milestone.objects.select_related("plan__application__scheme", "evidence")
                 .filter(pk=pk).first())
    if milestone is None:
        raise Http404
    if not user.has_perm("mutuals.view_support_plan", milestone.plan):
        raise PermissionDenied
    return milestone


def is_adviser(*, user) -> bool:
    return Adviser.objects.filter(user=user, active=True).exists()


def applications_to_assess(*, user) -> QuerySet[SupportApplication]:
    officer_of = [org for org, roles in roles_by_organisation(user=user).items()
                  if Role.PROGRAMME_OFFICER in roles]
    return SupportApplication.objects.filter(scheme__authority_id__in=officer_of,
                                             status=SupportApplication.Status.SUBMITTED)

