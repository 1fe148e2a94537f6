"""Who may see which reports: platform admins see every authority (or pick one), authority
staff see the authority they are working as; everyone else is refused."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from commissioning.selectors.reports import ReportScope
from organisations.models import AUTHORITY_ROLES, Organisation
from organisations.selectors import roles_of


def can_view_reports(*, user, organisation: Organisation | None) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_platform_admin:
        return True
    return bool(organisation is not None and organisation.is_authority
                and roles_of(user=user, organisation=organisation) & AUTHORITY_ROLES)


def report_scope_for(*, user, organisation: Organisation | None, filters: dict) -> ReportScope:
    """The scope ``user`` may report on, narrowed by the (already valid) filter values."""
    if not can_view_reports(user=user, organisation=organisation):
        raise PermissionDenied
    if user.is_platform_admin:
        chosen = filters.get("authority")
        authority_ids = [int(chosen)] if chosen else None
    else:
        authority_ids = [organisation.pk]
    return ReportScope(authority_ids=authority_ids, start=filters.get("start"),
                       end=filters.get("end"))


def authority_choices(*, user) -> list[tuple[str, str]]:
    """Authorities a platform admin can pick from (empty for anyone else)."""
    if not (user.is_authenticated and user.is_platform_admin):
        return []
    authorities = Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).order_by("name")
    return [(str(pk), name) for pk, name in authorities.values_list("pk", "name")]
