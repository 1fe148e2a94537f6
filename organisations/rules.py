"""Who may do what with organisations: django-rules predicates, one permission per verb."""

import rules

from organisations.models import Organisation, Role
from organisations.selectors import roles_of


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_platform_admin)


def has_role(*roles: str):
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({', '.join(sorted(wanted))})")
    def predicate(user, organisation: Organisation | None) -> bool:
        if organisation is None or not user.is_authenticated:
            return False
        return bool(roles_of(user=user, organisation=organisation) & wanted)

    return predicate


@rules.predicate
def is_member(user, organisation: Organisation | None) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return bool(roles_of(user=user, organisation=organisation))


@rules.predicate
def is_verified(user, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.is_verified


@rules.predicate
def is_pending(user, organisation: Organisation | None) -> bool:
    return (
        organisation is not None
        and organisation.verification_status == Organisation.Verification.PENDING
    )


is_org_admin = has_role(Role.AUTHORITY_ADMIN, Role.PROVIDER_ADMIN)

rules.add_perm("organisations.view_organisation", is_member | is_platform_admin)
rules.add_perm("organisations.change_organisation", is_org_admin)
rules.add_perm("organisations.view_members", is_member | is_platform_admin)
rules.add_perm("organisations.invite_member", (is_org_admin | is_platform_admin) & is_verified)
rules.add_perm("organisations.verify_organisation", is_platform_admin & is_pending)
rules.add_perm("organisations.set_authority_type", is_platform_admin)
