"""Menu items and dashboard panels this app contributes."""

from core import dashboard, navigation
from organisations.selectors import (
    current_organisation,
    verification_queue,
)


def _has_organisation(request) -> bool:
    return request.user.is_authenticated and current_organisation(request) is not None


def _is_platform_admin(request) -> bool:
    return request.user.is_authenticated and request.user.is_platform_admin


def _without_role(request) -> bool:
    user = request.user
    return (user.is_authenticated and not request.user_organisations
            and not hasattr(user, "citizen_profile") and not user.is_platform_admin)


def _organisation_panel(request) -> dict:
    return {"organisation": current_organisation(request)}


def _verification_panel(request) -> dict:
    queue = verification_queue(user=request.user).filter(verification_status="pending")
    return {"pending_count": queue.count()}


def register_items() -> None:
    navigation.register(label="Dashboard", url_name="core:dashboard",
                        visible=lambda r: r.user.is_authenticated, order=10)
    navigation.register(label="Verification", url_name="organisations:verification_queue",
                        visible=_is_platform_admin, order=70)
    dashboard.register(dashboard.Panel(
        key="organisation", template="organisations/panels/organisation.html",
        visible=_has_organisation, context=_organisation_panel, order=10))
    dashboard.register(dashboard.Panel(
        key="get_started", template="organisations/panels/get_started.html",
        visible=_without_role, context=lambda r: {}, order=5))
    dashboard.register(dashboard.Panel(
        key="verification", template="organisations/panels/verification.html",
        visible=_is_platform_admin, context=_verification_panel, order=20))


register_items()
