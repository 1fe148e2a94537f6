"""Menu items, dashboard panels and home-page opportunities the grants app contributes."""

from __future__ import annotations

from django.urls import reverse

from core import dashboard, navigation, opportunities
from grants.rules import MANAGING_ROLES
from grants.selectors.common import authority_ids, provider_ids
from grants.selectors.rounds import open_rounds, round_status_counts
from grants.workflows import ROUND
from organisations.models import Role


def _everyone(request) -> bool:
    return True


def _authority_staff(request) -> bool:
    return bool(authority_ids(user=request.user))


def _grant_manager(request) -> bool:
    return bool(authority_ids(user=request.user, roles=MANAGING_ROLES))


def _provider_member(request) -> bool:
    return bool(provider_ids(user=request.user))


def _assessor(request) -> bool:
    """Evaluators (who assess grants as they evaluate bids) see it from their roles alone, so
    the menu costs no query; the page lists only the rounds they are assigned to."""
    return bool(authority_ids(user=request.user, roles={Role.EVALUATOR}))


def round_opportunities(limit: int) -> list[opportunities.Opportunity]:
    """Open grant rounds, soonest closing first, for the home page."""
    rounds = open_rounds()[:limit]
    return [opportunities.Opportunity(
        title=r.title, url=reverse("grants:round_detail", args=[r.pk]), kind="Grant round",
        buyer=r.programme.authority.name,
        closes_at=(r.closes_at if r.closes_at and r.closes_at > _now() else r.full_closes_at),
        summary=r.summary) for r in rounds]


def _now():
    from django.utils import timezone

    return timezone.now()


def _rounds_panel(request) -> dict:
    counts = round_status_counts(user=request.user)
    base = reverse("grants:manage_home")
    rows = [{"label": ROUND.state(value).staff_label, "count": counts[value]}
            for value, _ in ROUND.choices if counts.get(value)]
    return {"rows": rows, "total": sum(counts.values()), "list_url": base}


def _applicant_panel(request) -> dict:
    return {"applications_url": reverse("grants:my_applications"),
            "find_url": reverse("grants:round_list")}


def register_items() -> None:
    navigation.register(label="Grants", url_name="grants:round_list", visible=_everyone,
                        order=22)
    navigation.register(label="Grant management", url_name="grants:manage_home",
                        visible=_authority_staff, order=32)
    navigation.register(label="Assess grants", url_name="grants:assessor_home",
                        visible=_assessor, order=36)
    navigation.register(label="My grant applications", url_name="grants:my_applications",
                        visible=_provider_member, order=40)
    dashboard.register(dashboard.Panel(
        key="grants_rounds", template="grants/panels/rounds.html", visible=_authority_staff,
        context=_rounds_panel, order=32))
    dashboard.register(dashboard.Panel(
        key="grants_applicant", template="grants/panels/applicant.html",
        visible=_provider_member, context=_applicant_panel, order=42))
    opportunities.register(round_opportunities)
