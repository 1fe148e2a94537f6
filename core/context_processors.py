"""Template context every page needs: the portal's name, navigation and organisation."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core import navigation


def portal(request: HttpRequest) -> dict:
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_operator": getattr(settings, "PORTAL_OPERATOR", ""),
        "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        "portal_phase": getattr(settings, "PORTAL_PHASE", ""),
        # Lazy: visibility checks run only when a page shows the navigation (not for fragments).
        "navigation_items": SimpleLazyObject(lambda: navigation.items_for(request)),
        "current_organisation": getattr(request, "current_organisation", None),
        # Lazy objects from the middleware: left unevaluated until a template needs them.
        "user_organisations": getattr(request, "user_organisations", []),
    }
