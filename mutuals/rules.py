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
