"""Who may do what with mutual evidence, recognitions and definitions."""

import rules

from organisations.models import Organisation, Role
from organisations.rules import is_platform_admin
from organisations.selectors import roles_by_organisation, roles_of

EVIDENCE_EDITORS = frozenset({Role.PROVIDER_ADMIN})
MEMBERS = frozenset({Role.PROVIDER_ADMIN, Role.BID_WRITER})


@rules.predicate
def is_programme_officer(user) -> bool:
    if not user.is_authenticated:
        return False
    return any(Role.PROGRAMME_OFFICER in roles
               for roles in roles_by_organisation(user=user).values())


def _holds(user, organisation: Organisation | None, wanted) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return bool(roles_of(user=user, organisation=organisation) & wanted)


@rules.predicate
def is_evidence_editor(user, organisation) -> bool:
    return (organisation is not None and organisation.kind == Organisation.Kind.PROVIDER
            and _holds(user, organisation, EVIDENCE_EDITORS))


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    return _holds(user, organisation, MEMBERS)


@rules.predicate
def is_verified_provider(user, organisation) -> bool:
    return organisation is not None and organisation.is_verified


@rules.predicate
def officer_without_interest(user, recognition) -> bool:
    """A programme officer who is not a member of the organisation under review."""
    return (recognition is not None and is_programme_officer(user)
            and not roles_of(user=user, organisation=recognition.organisation))


@rules.predicate
def requester_side(user, recognition) -> bool:
    return recognition is not None and _holds(user, recognition.organisation, EVIDENCE_EDITORS)


rules.add_perm("mutuals.view_evidence",
               is_organisation_member | is_programme_officer | is_platform_admin)
rules.add_perm("mutuals.change_evidence", is_evidence_editor)
rules.add_perm("mutuals.request_recognition", is_evidence_editor & is_verified_provider)
rules.add_perm("mutuals.view_recognition",
               requester_side | is_programme_officer | is_platform_admin)
rules.add_perm("mutuals.decide_recognition", officer_without_interest)
rules.add_perm("mutuals.withdraw_recognition", requester_side)
rules.add_perm("mutuals.review", is_programme_officer)
rules.add_perm("mutuals.change_definitions", is_programme_officer)


# -- support applications and plans -----------------------------------------------------------

def _officer_at(user, authority_id) -> bool:
    return user.is_authenticated and Role.PROGRAMME_OFFICER in roles_by_organisation(
        user=user).get(authority_id, set())


@rules.predicate
def scheme_officer(user, application) -> bool:
    return application is not None and _officer_at(user, application.scheme.authority_id)


@rules.predicate
def application_lead(user, application) -> bool:
    return application is not None and user.is_authenticated and (
        application.lead_id == user.pk)


@rules.predicate
def application_org_admin(user, application) -> bool:
    return (application is not None and application.organisation_id is not None
            and _holds(user, application.organisation, EVIDENCE_EDITORS))


@rules.predicate
def plan_officer(user, plan) -> bool:
    return plan is not None and scheme_officer(user, plan.application)


@rules.predicate
def plan_team(user, plan) -> bool:
    return plan is not None and (application_lead(user, plan.application)
                                 or application_org_admin(user, plan.application))


@rules.predicate
def plan_adviser(user, plan) -> bool:
    return plan is not None and user.is_authenticated and plan.allocations.filter(
        adviser__user=user).exists()


@rules.predicate
def plan_grant_manager(user, plan) -> bool:
    return plan is not None and user.is_authenticated and Role.GRANT_MANAGER in (
        roles_by_organisation(user=user).get(plan.application.scheme.authority_id, set()))


@rules.predicate
def allocation_adviser(user, allocation) -> bool:
    return (allocation is not None and user.is_authenticated
            and allocation.adviser.user_id == user.pk and allocation.adviser.active)


@rules.predicate
def day_team(user, day) -> bool:
    return day is not None and application_lead(user, day.allocation.plan.application)


rules.add_perm("mutuals.view_support_application",
               application_lead | application_org_admin | scheme_officer | is_platform_admin)
rules.add_perm("mutuals.change_support_application", application_lead)
rules.add_perm("mutuals.assess_support_application", scheme_officer)
rules.add_perm("mutuals.view_support_plan",
               plan_team | plan_officer | plan_adviser | is_platform_admin)
rules.add_perm("mutuals.manage_support_plan", plan_officer)
rules.add_perm("mutuals.make_support_grant", plan_grant_manager)
rules.add_perm("mutuals.submit_milestone", plan_team)
rules.add_perm("mutuals.log_advice", allocation_adviser)
rules.add_perm("mutuals.review_advice", day_team)
