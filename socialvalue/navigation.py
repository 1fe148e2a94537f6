"""The "Social value" menu item, the landing page's sections and the dashboard panel."""

from __future__ import annotations

from django.urls import reverse

from core import dashboard, navigation
from organisations.models import AUTHORITY_ROLES
from organisations.selectors import roles_by_organisation
from socialvalue import selectors
from socialvalue.rules import SUPPLIER_ROLES


def _roles(request) -> set[str]:
    return set().union(*roles_by_organisation(user=request.user).values())


def is_authority_staff(request) -> bool:
    return bool(_roles(request) & AUTHORITY_ROLES)


def is_supplier_with_ledgers(request) -> bool:
    if not _roles(request) & SUPPLIER_ROLES:
        return False
    cached = getattr(request, "_socialvalue_has_ledgers", None)
    if cached is None:
        cached = selectors.ledgers_for_user(user=request.user).exists()
        request._socialvalue_has_ledgers = cached
    return cached


def visible(request) -> bool:
    user = request.user
    return user.is_authenticated and (
        user.is_platform_admin or is_authority_staff(request) or is_supplier_with_ledgers(request))


def home_context(request) -> dict:
    staff, admin = is_authority_staff(request), request.user.is_platform_admin
    sections = []
    if staff or admin:
        sections += [
            ("Social value plans", "socialvalue:plan_list",
             "Measures, relevance, weight and question designed into each tender."),
            ("Measures catalogue", "socialvalue:catalogue",
             "The Social Value Model and your authority's own measures and proxy values."),
        ]
    if staff or admin or is_supplier_with_ledgers(request):
        sections.append(("Delivery", "socialvalue:ledger_list",
                         "Committed against delivered for each contract, with evidence."))
    if staff or admin:
        sections += [
            ("Reports", "socialvalue:reports",
             "Committed and delivered by theme, outcome, authority and supplier type."),
            ("Contract performance", "socialvalue:performance",
             "Ratings per contract, supplier and authority."),
            ("Account for social value", "socialvalue:statement",
             "What your authority designed in, was promised, delivered and evidenced."),
        ]
    return {"sections": [{"title": t, "href": reverse(n), "text": d} for t, n, d in sections]}


def _panel(request) -> dict:
    return {
        "to_review": selectors.reports_awaiting_review(user=request.user).count()
        if is_authority_staff(request) else 0,
        "to_report": selectors.targets_to_report(user=request.user).count()
        if is_supplier_with_ledgers(request) else 0,
    }


def register_items() -> None:
    navigation.register(label="Social value", url_name="socialvalue:home", visible=visible,
                        order=40)
    dashboard.register(dashboard.Panel(
        key="socialvalue", template="socialvalue/panels/dashboard.html",
        visible=lambda r: is_authority_staff(r) or is_supplier_with_ledgers(r),
        context=_panel, order=40))
