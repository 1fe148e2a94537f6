"""django-rules permissions for bids (imported by commissioning/rules.py).

The sealed-bid rule: before a two-person opening, nobody outside the bidding organisation and
its consortium members sees any bid content; authority staff see at most the number of
submitted bids. After opening, content is visible to panel evaluators without a declared
conflict with the bidder, and to the authority's commissioners and administrators (unless they
declared a conflict with the bidder). Platform administrators never see content.

Selectors test these rules with ``rules.has_perm`` rather than ``user.has_perm``: Django grants
every permission to an active superuser without asking the backends, which would unseal bids.
"""

from __future__ import annotations

import rules

from commissioning.models import Bid, ConflictDeclaration, Opening, TenderEvaluator
from organisations.models import AUTHORITY_ROLES, PROVIDER_ROLES, Organisation, Role
from organisations.rules import is_platform_admin
from organisations.selectors import roles_of

LEAD_STAFF_ROLES = frozenset({Role.COMMISSIONER, Role.AUTHORITY_ADMIN})


def _provider_member(user, organisation: Organisation) -> bool:
    return bool(roles_of(user=user, organisation=organisation) & PROVIDER_ROLES)


def bid_organisations(bid: Bid) -> list[Organisation]:
    """The lead organisation and every consortium member organisation of a bid."""
    members = [member.organisation for member in bid.members.select_related("organisation")]
    return [bid.organisation, *members]


@rules.predicate
def is_bid_lead_member(user, bid: Bid | None) -> bool:
    """A provider admin or bid writer of the bid's (lead) organisation."""
    if bid is None or not user.is_authenticated:
        return False
    return _provider_member(user, bid.organisation)


@rules.predicate
def is_consortium_member(user, bid: Bid | None) -> bool:
    if bid is None or not user.is_authenticated:
        return False
    return any(_provider_member(user, member.organisation)
               for member in bid.members.select_related("organisation"))


@rules.predicate
def lead_is_verified(user, bid: Bid | None) -> bool:
    return bid is not None and bid.organisation.is_verified


@rules.predicate
def is_submitted(user, bid: Bid | None) -> bool:
    return bid is not None and bid.status == Bid.Status.SUBMITTED


@rules.predicate
def bids_opened(user, bid: Bid | None) -> bool:
    """The tender had its two-person opening (requested and confirmed)."""
    return bid is not None and Opening.objects.filter(
        tender_id=bid.tender_id, confirmed_at__isnull=False).exists()


def _conflicted(user, bid: Bid, *, declaration_required: bool) -> bool:
    declaration = ConflictDeclaration.objects.filter(
        tender_id=bid.tender_id, evaluator=user).order_by("-declared_at", "-id").first()
    if declaration is None:
        return declaration_required
    if not declaration.has_conflict:
        return False
    named = set(declaration.conflicted_organisations.values_list("pk", flat=True))
    # A conflict declared without naming organisations is treated as a conflict with all.
    return not named or bool(named & {org.pk for org in bid_organisations(bid)})


@rules.predicate
def is_evaluator_without_conflict(user, bid: Bid | None) -> bool:
    """On the tender's panel, staff of its authority, and declared no conflict with the bidder."""
    if bid is None or not user.is_authenticated:
        return False
    if not roles_of(user=user, organisation=bid.tender.authority) & AUTHORITY_ROLES:
        return False
    if not TenderEvaluator.objects.filter(tender_id=bid.tender_id, user=user).exists():
        return False
    return not _conflicted(user, bid, declaration_required=True)


@rules.predicate
def is_lead_staff_without_conflict(user, bid: Bid | None) -> bool:
    """A commissioner or administrator of the tender's authority, with no declared conflict."""
    if bid is None or not user.is_authenticated:
        return False
    if not roles_of(user=user, organisation=bid.tender.authority) & LEAD_STAFF_ROLES:
        return False
    return not _conflicted(user, bid, declaration_required=False)


@rules.predicate
def is_tender_authority_staff(user, tender) -> bool:
    if tender is None or not user.is_authenticated:
        return False
    return bool(roles_of(user=user, organisation=tender.authority) & AUTHORITY_ROLES)


is_bid_party = is_bid_lead_member | is_consortium_member
can_view_bid_content = is_bid_party | (
    is_submitted & bids_opened
    & (is_evaluator_without_conflict | is_lead_staff_without_conflict)
)

rules.add_perm("commissioning.view_bid", is_bid_party)
rules.add_perm("commissioning.change_bid", is_bid_lead_member & lead_is_verified)
rules.add_perm("commissioning.view_bid_content", can_view_bid_content)
rules.add_perm("commissioning.view_bid_count", is_tender_authority_staff | is_platform_admin)
rules.add_perm("commissioning.record_incident", is_platform_admin)
