"""The menu item and the dashboard panel the citizens app contributes.

The dashboard panel takes over the accounts app's citizen panel (same key): it says the same
to a citizen with no panel, and lists panels and what is asked of a member who has one.
"""

from __future__ import annotations

from core import dashboard, navigation


def _everyone(request) -> bool:
    return True


def _citizen_or_member(request) -> bool:
    from citizens.selectors.panels import my_memberships

    if not request.user.is_authenticated:
        return False
    return hasattr(request.user, "citizen_profile") or my_memberships(
        user=request.user).exists()


def _my_panels(request) -> dict:
    from citizens.selectors.panels import my_memberships, my_tasks

    memberships = list(my_memberships(user=request.user).select_related("panel"))
    return {"profile": getattr(request.user, "citizen_profile", None),
            "memberships": memberships, "tasks": my_tasks(user=request.user)}


def _runs_panels(request) -> bool:
    """Authority staff from their cached roles (no query); facilitators by their panels."""
    from citizens.selectors.panels import managed_panels
    from organisations.models import AUTHORITY_ROLES
    from organisations.selectors import roles_by_organisation

    if not request.user.is_authenticated:
        return False
    if set().union(*roles_by_organisation(user=request.user).values()) & AUTHORITY_ROLES:
        return True
    return managed_panels(user=request.user).exists()


def register_items() -> None:
    navigation.register(label="Panels", url_name="citizens:panel_list",
                        visible=_everyone, order=40)
    navigation.register(label="Run panels", url_name="citizens:manage_list",
                        visible=_runs_panels, order=41)
    dashboard.register(dashboard.Panel(
        key="citizen", template="citizens/dashboard_panel.html",
        visible=_citizen_or_member, context=_my_panels, order=10))
