"""The "Mutuals" menu item and the dashboard panel."""

from __future__ import annotations

from core import dashboard, navigation
from mutuals import selectors
from organisations.models import PROVIDER_ROLES, Role
from organisations.selectors import roles_by_organisation


def _roles(request) -> set[str]:
    if not request.user.is_authenticated:
        return set()
    return set().union(*roles_by_organisation(user=request.user).values())


def is_officer(request) -> bool:
    return Role.PROGRAMME_OFFICER in _roles(request)


def is_provider(request) -> bool:
    return bool(_roles(request) & PROVIDER_ROLES)


def is_adviser(request) -> bool:
    if not request.user.is_authenticated:
        return False
    cached = getattr(request, "_mutuals_adviser", None)
    if cached is None:
        cached = request._mutuals_adviser = selectors.is_adviser(user=request.user)
    return cached


def in_menu(request) -> bool:
    """From the cached roles alone: no query on every page."""
    return is_officer(request) or is_provider(request)


def on_dashboard(request) -> bool:
    return in_menu(request) or is_adviser(request)


def _panel(request) -> dict:
    officer = is_officer(request)
    return {"officer": officer, "provider": is_provider(request),
            "adviser": is_adviser(request),
            "to_review": selectors.recognition_queue(user=request.user).count() if officer
            else 0,
            "to_assess": selectors.applications_to_assess(user=request.user).count()
            if officer else 0}


def register_items() -> None:
    navigation.register(label="Mutuals", url_name="mutuals:home", visible=in_menu, order=60)
    dashboard.register(dashboard.Panel(
        key="mutuals", template="mutuals/panels/dashboard.html", visible=on_dashboard,
        context=_panel, order=60))
