"""Who may do what in grants: django-rules predicates, one permission per verb.

Objects: `manage_authority` takes the authority (an Organisation); `*_programme` a Programme;
`*_round` and `apply_to_round` a Round; `*_application` an Application; `*_award` an Award.
Grant managers are the authority's grant managers and administrators; assessors are people a
manager assigned to the round, and they see an application only after declaring their
conflicts, and never one they declared a conflict with.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from organisations.models import AUTHORITY_ROLES, PROVIDER_ROLES, Role
from organisations.rules import is_platform_admin
from organisations.selectors import roles_of

MANAGING_ROLES = frozenset({Role.GRANT_MANAGER, Role.AUTHORITY_ADMIN})
PUBLIC_ROUND_STATES = frozenset({"published", "assessment", "panel", "decided"})


def _roles(user, organisation) -> set[str]:
    if organisation is None or not user.is_authenticated:
        return set()
    return roles_of(user=user, organisation=organisation)


def _authority_of(obj):
    """The authority behind a programme, round, application or award (cached on the object)."""
    from grants.models import Application, Award, Programme, Round

    if isinstance(obj, Programme):
        return obj.authority
    if isinstance(obj, Round):
        return obj.programme.authority
    if isinstance(obj, Application | Award):
        return obj.round.programme.authority
    return obj


@rules.predicate
def manages(user, obj) -> bool:
    return obj is not None and bool(_roles(user, _authority_of(obj)) & MANAGING_ROLES)


@rules.predicate
def is_authority_staff(user, obj) -> bool:
    return obj is not None and bool(_roles(user, _authority_of(obj)) & AUTHORITY_ROLES)


@rules.predicate
def round_is_public(user, round_) -> bool:
    return (round_ is not None and round_.status in PUBLIC_ROUND_STATES
            and round_.published_at is not None)


@rules.predicate
def is_applicant_member(user, application) -> bool:
    return application is not None and bool(
        _roles(user, application.organisation) & PROVIDER_ROLES)


@rules.predicate
def is_applicant_admin(user, application) -> bool:
    return application is not None and Role.PROVIDER_ADMIN in _roles(
        user, application.organisation)


@rules.predicate
def is_recipient_member(user, award) -> bool:
    return award is not None and bool(_roles(user, award.recipient) & PROVIDER_ROLES)


@rules.predicate
def is_recipient_admin(user, award) -> bool:
    return award is not None and Role.PROVIDER_ADMIN in _roles(user, award.recipient)


@rules.predicate
def is_draft(user, application) -> bool:
    return application is not None and application.status == "draft"


@rules.predicate
def is_assessor_of_round(user, round_) -> bool:
    from grants.selectors.assessment import assignment_of

    return round_ is not None and assignment_of(user=user, round_=round_) is not None


@rules.predicate
def may_see_as_assessor(user, application) -> bool:
    """The hard conflict gate: assigned, declared, and not conflicted with this application."""
    from grants.selectors.assessment import assignment_of, conflicted_application_ids

    if application is None or not user.is_authenticated:
        return False
    assignment = assignment_of(user=user, round_=application.round)
    if assignment is None or assignment.declared_at is None:
        return False
    return application.pk not in conflicted_application_ids(assignment=assignment)


@rules.predicate
def in_assessment(user, application) -> bool:
    return application is not None and application.status == "eligible"


@rules.predicate
def stage_is_open(user, round_) -> bool:
    from grants.selectors.rounds import open_stage

    return round_ is not None and open_stage(round_, timezone.now()) is not None


rules.add_perm("grants.manage_authority", manages)
rules.add_perm("grants.manage_programme", manages)
rules.add_perm("grants.view_programme_admin", is_authority_staff | is_platform_admin)
rules.add_perm("grants.manage_round", manages)
rules.add_perm("grants.view_round_admin", is_authority_staff | is_platform_admin)
rules.add_perm("grants.view_round", round_is_public | is_authority_staff | is_platform_admin)
rules.add_perm("grants.apply_to_round", round_is_public & stage_is_open)
rules.add_perm("grants.assess_round", is_assessor_of_round)
rules.add_perm("grants.view_application",
               is_applicant_member | manages | may_see_as_assessor | is_platform_admin)
rules.add_perm("grants.edit_application", is_applicant_member & is_draft)
rules.add_perm("grants.withdraw_application", is_applicant_member)
rules.add_perm("grants.manage_application", manages)
rules.add_perm("grants.assess_application", may_see_as_assessor & in_assessment)
rules.add_perm("grants.view_award", is_recipient_member | manages | is_platform_admin)
rules.add_perm("grants.manage_award", manages)
rules.add_perm("grants.accept_agreement", is_recipient_admin)
rules.add_perm("grants.report_on_award", is_recipient_member)
