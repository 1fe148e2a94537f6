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


def _panel(request) -> dict:
    officer = is_officer(request)
    return {"officer": officer, "provider": is_provider(request),
            "to_review": selectors.recognition_queue(user=request.user).count() if officer
            else 0}


def register_items() -> None:
    navigation.register(label="Mutuals", url_name="mutuals:home",
                        visible=lambda r: is_officer(r) or is_provider(r), order=60)
    dashboard.register(dashboard.Panel(
        key="mutuals", template="mutuals/panels/dashboard.html",
        visible=lambda r: is_officer(r) or is_provider(r), context=_panel, order=60))
