"""Template context every page needs: the portal's name, navigation and organisation."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from core import navigation


def portal(request: HttpRequest) -> dict:
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_operator": getattr(settings, "PORTAL_OPERATOR", ""),
        "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        "navigation_items": navigation.items_for(request),
        "current_organisation": getattr(request, "current_organisation", None),
        "user_organisations": getattr(request, "user_organisations", None) or [],
    }
