"""The citizen's dashboard panel."""

from core import dashboard


def _is_citizen(request) -> bool:
    return request.user.is_authenticated and hasattr(request.user, "citizen_profile")


def register_items() -> None:
    dashboard.register(dashboard.Panel(
        key="citizen", template="accounts/panels/citizen.html", visible=_is_citizen,
        context=lambda request: {"profile": request.user.citizen_profile}, order=10))
