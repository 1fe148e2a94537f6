"""django-rules permissions for awards, contracts and bidder feedback.

Award decisions are taken by people who run the tender and have declared no conflict with any
bidder; approval needs a second such person. Contract managers look after entered contracts.
"""

from __future__ import annotations

import rules

from commissioning.models import Contract
from commissioning.permissions.evaluation import (
    bids_opened,
    on_panel,
    runs_tender,
    unconflicted_for_tender,
)
from organisations.models import Role
from organisations.selectors import roles_of


def _tender_of(obj):
    return obj.award.tender if isinstance(obj, Contract) else obj.tender


def _on_award_tender(predicate):
    @rules.predicate(name=f"award_{predicate.name}")
    def lifted(user, obj) -> bool:
        return predicate.test(user, _tender_of(obj))

    return lifted


@rules.predicate
def is_contract_manager(user, obj) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Role.CONTRACT_MANAGER in roles_of(user=user, organisation=_tender_of(obj).authority)


@rules.predicate
def not_the_proposer(user, award) -> bool:
    return getattr(user, "pk", None) != award.proposed_by_id


@rules.predicate
def is_proposed(user, award) -> bool:
    return award.status == "proposed"


@rules.predicate
def is_approved(user, award) -> bool:
    return award.status == "approved"


@rules.predicate
def in_standstill(user, award) -> bool:
    return award.status == "standstill"


@rules.predicate
def is_bidder(user, bid) -> bool:
    """A member (any role) of the organisation that made the bid."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(roles_of(user=user, organisation=bid.organisation))


runs = _on_award_tender(runs_tender)
unconflicted = _on_award_tender(unconflicted_for_tender)

rules.add_perm("commissioning.propose_award", runs_tender & bids_opened & unconflicted_for_tender)
rules.add_perm("commissioning.view_award", runs | _on_award_tender(on_panel) | is_contract_manager)
rules.add_perm("commissioning.approve_award", runs & unconflicted & not_the_proposer & is_proposed)
rules.add_perm("commissioning.publish_award_notice", runs & unconflicted & is_approved)
rules.add_perm("commissioning.enter_contract", runs & in_standstill)
rules.add_perm("commissioning.view_contract", runs | is_contract_manager)
rules.add_perm("commissioning.manage_contract", runs | is_contract_manager)
rules.add_perm("commissioning.view_feedback", is_bidder)
