"""Reads about organisations, always scoped to what the asking user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from organisations.models import (
    AUTHORITY_ROLES,
    Invitation,
    Membership,
    Organisation,
    Role,
)


def organisations_for_user(*, user) -> QuerySet[Organisation]:
    """Organisations the user belongs to, in a stable order."""
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


def current_organisation(request) -> Organisation | None:
    organisation = getattr(request, "current_organisation", None)
    return organisation if organisation else None


def roles_of(*, user, organisation: Organisation) -> set[str]:
    """The user's roles in one organisation (cached on the user for the request)."""
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_portal_roles", None)
    if cache is None:
        cache = {}
        for org_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            cache.setdefault(org_id, set()).add(role)
        user.__dict__["_portal_roles"] = cache
    return cache.get(organisation.pk, set())


def is_authority_staff(*, user) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, role__in=AUTHORITY_ROLES).exists()


def organisation_get_for_user(*, user, pk: int, perm: str = "organisations.view_organisation"):
    """Fetch an organisation and check `perm` on it: 404 when unknown, 403 when not allowed."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation.")
    if not user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


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
