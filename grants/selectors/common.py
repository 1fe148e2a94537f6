"""Fetch-and-check helpers shared by the grants accessors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisations.models import AUTHORITY_ROLES, PROVIDER_ROLES
from organisations.selectors import organisation_ids_with_role


def fetch_checked(queryset, *, user, pk: int, perm: str, hide_perm: str | None = None,
                  label: str = "page"):
    """The object, or 404 when unknown (or hidden from this user), 403 when `perm` is refused.

    `hide_perm` is the permission that reveals the object exists at all; without it the
    user gets a 404 rather than learning that the object is there.
    """
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"No such {label}.")
    if not user.has_perm(perm, obj):
        if hide_perm is None or not user.has_perm(hide_perm, obj):
            raise Http404(f"No such {label}.")
        raise PermissionDenied
    return obj


def authority_ids(*, user, roles=AUTHORITY_ROLES) -> list[int]:
    return organisation_ids_with_role(user=user, roles=roles)


def provider_ids(*, user) -> list[int]:
    return organisation_ids_with_role(user=user, roles=PROVIDER_ROLES)
