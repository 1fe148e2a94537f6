"""The menu item and dashboard panel the citizens app contributes."""

from __future__ import annotations

from core import dashboard, navigation


def _everyone(request) -> bool:
    return True


def _has_panels(request) -> bool:
    from citizens.selectors.panels import my_memberships

    return request.user.is_authenticated and my_memberships(user=request.user).exists()


def _my_panels(request) -> dict:
    from citizens.selectors.panels import my_memberships, my_tasks

    memberships = list(my_memberships(user=request.user).select_related("panel"))
    return {"memberships": memberships, "tasks": my_tasks(user=request.user)}


def register_items() -> None:
    navigation.register(label="Citizen panels", url_name="citizens:panel_list",
                        visible=_everyone, order=40)
    dashboard.register(dashboard.Panel(
        key="citizens_my_panels", template="citizens/dashboard_panel.html",
        visible=_has_panels, context=_my_panels, order=15))
