"""Menu items, dashboard panels and home-page opportunities the commissioning app contributes."""

from __future__ import annotations

from django.urls import reverse

from commissioning import worklists
from commissioning.models import Tender
from commissioning.permissions.tenders import MANAGING_ROLES
from commissioning.presenters.tenders import staff_tag
from commissioning.selectors.tenders import authority_ids_of, open_tenders, tender_status_counts
from core import dashboard, navigation, opportunities
from organisations.models import AUTHORITY_ROLES, Role


def _everyone(request) -> bool:
    return True


def _authority_staff(request) -> bool:
    return bool(authority_ids_of(user=request.user, roles=AUTHORITY_ROLES))


def _tenders_panel(request) -> dict:
    counts = tender_status_counts(user=request.user)
    base = reverse("commissioning:tender_admin_list")
    rows = [{"label": staff_tag(Tender(status=value))["text"], "count": counts[value],
             "href": f"{base}?status={value}"} for value, _ in Tender.Status.choices
            if counts.get(value)]
    return {"rows": rows, "total": sum(counts.values()), "list_url": base,
            "can_create": bool(authority_ids_of(user=request.user, roles=MANAGING_ROLES))}


def tender_opportunities(limit: int) -> list[opportunities.Opportunity]:
    """Open tenders, soonest closing first, for the home page."""
    tenders = open_tenders().order_by("deadline")[:limit]
    return [opportunities.Opportunity(
        title=t.title, url=reverse("commissioning:tender_detail", args=[t.pk]), kind="Tender",
        buyer=t.authority.name, closes_at=t.deadline, summary=t.summary) for t in tenders]


def _manages_contracts(request) -> bool:
    # Contract managers only: commissioners reach a contract from its tender, and their menu is
    # the widest already (it must fit at 1280px).
    return bool(authority_ids_of(user=request.user, roles=[Role.CONTRACT_MANAGER]))


def _authority_admin(request) -> bool:
    return bool(authority_ids_of(user=request.user, roles=[Role.AUTHORITY_ADMIN]))


def register_items() -> None:
    navigation.register(label="Tenders", url_name="commissioning:tender_list",
                        visible=_everyone, order=20)
    navigation.register(label="Pipeline", url_name="commissioning:pipeline_list",
                        visible=_everyone, order=25)
    navigation.register(label="Commissioning", url_name="commissioning:tender_admin_list",
                        visible=_authority_staff, order=30)
    navigation.register(label="Evaluation", url_name="commissioning:evaluation_list",
                        visible=_authority_staff, order=35)
    navigation.register(label="Contracts", url_name="commissioning:contract_list",
                        visible=_manages_contracts, order=37)
    navigation.register(label="Procurement settings",
                        url_name="commissioning:procurement_settings",
                        visible=_authority_admin, order=90)
    dashboard.register(dashboard.Panel(
        key="commissioning_tenders", template="commissioning/tenders/panel.html",
        visible=_authority_staff, context=_tenders_panel, order=30))
    dashboard.register(dashboard.Panel(
        key="commissioning_evaluation_tasks", template="commissioning/evaluation/panels/tasks.html",
        visible=worklists.sits_on_a_panel, context=worklists.evaluation_panel, order=25))
    opportunities.register(tender_opportunities)
