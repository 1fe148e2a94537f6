"""Reads about organisations, always scoped to what the asking user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from core.selectors import one_of_or_404
from organisations.models import (
    AUTHORITY_ROLES,
    Invitation,
    Membership,
    Organisation,
    Role,
)


def organisations_for_user(*, user) -> QuerySet[Organisation]:
    """Organisations the user belongs to, in a stable order (by the cached role lookup's keys:
    no join, no DISTINCT)."""
    return Organisation.objects.filter(pk__in=list(roles_by_organisation(user=user))).order_by(
        "name", "pk")


def current_organisation(request) -> Organisation | None:
    organisation = getattr(request, "current_organisation", None)
    return organisation if organisation else None


def roles_by_organisation(*, user) -> dict[int, set[str]]:
    """{organisation id: the user's roles there}, read once and kept on the user object.

    Every role question in a request (permissions, menus, panels) is answered from this one
    query.
    """
    if not user.is_authenticated:
        return {}
    cache = user.__dict__.get("_portal_roles")
    if cache is None:
        cache = {}
        # In key order, so that the query needs no join (the memberships' default order is by
        # organisation name).
        for org_id, role in Membership.objects.filter(user=user).order_by(
            "organisation_id", "role"
        ).values_list("organisation_id", "role"):
            cache.setdefault(org_id, set()).add(role)
        user.__dict__["_portal_roles"] = cache
    return cache


def roles_forget(*, user) -> None:
    """Drop the roles kept on this user object, after a service changed their memberships.

    The cache lives on one request's user object, so other requests read the memberships
    afresh anyway; this keeps the rest of the changing request truthful too (the MFA policy,
    permissions and menus asked after the change).
    """
    user.__dict__.pop("_portal_roles", None)


def roles_of(*, user, organisation: Organisation) -> set[str]:
    """The user's roles in one organisation."""
    return roles_by_organisation(user=user).get(organisation.pk, set())


def organisation_ids_with_role(*, user, roles) -> list[int]:
    """The organisations where the user holds any of `roles`."""
    wanted = set(roles)
    return sorted(org_id for org_id, held in roles_by_organisation(user=user).items()
                  if held & wanted)


def is_authority_staff(*, user) -> bool:
    return bool(organisation_ids_with_role(user=user, roles=AUTHORITY_ROLES))


def organisation_get_for_user(*, user, pk: int, perm: str = "organisations.view_organisation"):
    """Fetch an organisation and check `perm` on it: 404 when unknown, 403 when not allowed."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation.")
    if not user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


def authority_get_for_type_change(*, user, pk: int) -> Organisation:
    """An authority whose type `user` may set: 404 for a provider, 403 for anyone but admins."""
    organisation = organisation_get_for_user(user=user, pk=pk,
                                             perm="organisations.set_authority_type")
    if not organisation.is_authority:
        raise Http404("Only a public authority has an authority type.")
    return organisation


def invitation_of(*, organisation: Organisation, pk) -> Invitation:
    """One invitation of an (already checked) organisation, or 404."""
    return one_of_or_404(organisation.invitations, pk, message="No such invitation.")


def membership_of(*, organisation: Organisation, pk) -> Membership:
    """One role held in an (already checked) organisation, or 404."""
    return one_of_or_404(organisation.memberships.select_related("user"), pk,
                         message="No such member.")


def verification_queue(*, user) -> QuerySet[Organisation]:
    """Providers for platform admins to verify; empty for anybody else."""
    if not (user.is_authenticated and user.is_platform_admin):
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).order_by(
        "submitted_at", "pk"
    )


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__full_name", "role")


def open_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def invitation_get_by_token(*, token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organisation").filter(token=token).first()
    )
    if invitation is None:
        raise Http404("This invitation link is not valid.")
    return invitation


def platform_admins():
    from accounts.models import User

    return User.objects.filter(is_platform_admin=True, is_active=True)


def admins_of(*, organisation: Organisation):
    from accounts.models import User

    role = Role.AUTHORITY_ADMIN if organisation.is_authority else Role.PROVIDER_ADMIN
    return User.objects.filter(
        memberships__organisation=organisation, memberships__role=role, is_active=True
    ).distinct()
