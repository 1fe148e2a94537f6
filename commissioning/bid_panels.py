"""The "Your bids" dashboard panel and the platform incident menu entry.

Call ``register()`` from ``CommissioningConfig.ready()``.
"""

from core import dashboard, navigation
from organisations.models import PROVIDER_ROLES
from organisations.selectors import current_organisation, roles_of


def _is_provider_member(request) -> bool:
    organisation = current_organisation(request) if request.user.is_authenticated else None
    return organisation is not None and bool(
        roles_of(user=request.user, organisation=organisation) & PROVIDER_ROLES)


def _is_platform_admin(request) -> bool:
    return request.user.is_authenticated and request.user.is_platform_admin


def _your_bids(request) -> dict:
    from commissioning.models import Bid
    from commissioning.selectors.bids import bids_for_organisation

    bids = bids_for_organisation(user=request.user, organisation=current_organisation(request))
    counts = {status: 0 for status in Bid.Status.values}
    for status in bids.values_list("status", flat=True):
        counts[status] += 1
    return {"draft_count": counts["draft"] + counts["withdrawn"],
            "submitted_count": counts["submitted"]}


def register() -> None:
    dashboard.register(dashboard.Panel(
        key="your_bids", template="commissioning/bids/panels/your_bids.html",
        visible=_is_provider_member, context=_your_bids, order=30))
    navigation.register(label="Your bids", url_name="commissioning:bid_list",
                        visible=_is_provider_member, order=40)
    navigation.register(label="Incidents", url_name="commissioning:incident_tenders",
                        visible=_is_platform_admin, order=90)
