"""django-rules permissions for award criteria, opening and evaluation.

Who runs a tender: the authority's commissioners and administrators. Who evaluates: the people
on its panel (TenderEvaluator). Nobody on the authority's side sees a bid, a score or the
ranking before declaring their conflicts of interest (Procurement Act ss.81-83), and a person
who names a bidder as a conflict never sees or scores that bidder's bid.
"""

from __future__ import annotations

import rules

from commissioning.models import Award, ConflictDeclaration, Tender, TenderEvaluator
from organisations.models import Role
from organisations.selectors import roles_of

RUNNERS = frozenset({Role.COMMISSIONER, Role.AUTHORITY_ADMIN})
OPENED_STATES = frozenset({"opened", "evaluation", "awarding", "standstill", "contracted"})


def _roles(user, tender: Tender) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return roles_of(user=user, organisation=tender.authority)


def latest_declaration(user, tender: Tender) -> ConflictDeclaration | None:
    """The person's most recent declaration for the tender (cached on the user per request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_portal_declarations", {})
    if tender.pk not in cache:
        cache[tender.pk] = (
            ConflictDeclaration.objects.filter(tender=tender, evaluator=user)
            .prefetch_related("conflicted_organisations").order_by("-declared_at", "-id").first()
        )
    return cache[tender.pk]


def forget_declarations(user) -> None:
    """Drop the per-request cache after a declaration is made."""
    user.__dict__.pop("_portal_declarations", None)


def conflicted_organisation_ids(user, tender: Tender) -> set[int]:
    declaration = latest_declaration(user, tender)
    if declaration is None or not declaration.has_conflict:
        return set()
    return {o.pk for o in declaration.conflicted_organisations.all()}


def bid_organisation_ids(bid) -> set[int]:
    """The lead bidder and every consortium member or key subcontractor of the bid."""
    return {bid.organisation_id, *bid.members.values_list("organisation_id", flat=True)}


@rules.predicate
def runs_tender(user, tender: Tender) -> bool:
    return bool(_roles(user, tender) & RUNNERS)


@rules.predicate
def is_commissioner(user, tender: Tender) -> bool:
    return Role.COMMISSIONER in _roles(user, tender)


def panel_seat(user, tender: Tender) -> TenderEvaluator | None:
    """The person's seat on the tender's panel, read once per request (cached on the user,
    like the declaration), so that a page checking several actions asks once."""
    if not getattr(user, "is_authenticated", False) or not _roles(user, tender):
        return None
    cache = user.__dict__.setdefault("_portal_panel_seats", {})
    if tender.pk not in cache:
        cache[tender.pk] = TenderEvaluator.objects.filter(tender=tender, user=user).first()
    return cache[tender.pk]


def remember_panel_seats(user, tenders) -> None:
    """Read the person's seats on several tenders' panels in one query (a page that checks
    actions on each round of a procedure), into the cache ``panel_seat`` reads."""
    if not getattr(user, "is_authenticated", False):
        return
    cache = user.__dict__.setdefault("_portal_panel_seats", {})
    wanted = [tender.pk for tender in tenders if tender.pk not in cache]
    if wanted:
        seats = {seat.tender_id: seat for seat in
                 TenderEvaluator.objects.filter(tender_id__in=wanted, user=user)}
        cache.update({pk: seats.get(pk) for pk in wanted})


def forget_panel_seats(user) -> None:
    """Drop the per-request cache after the person joins or leaves a panel."""
    user.__dict__.pop("_portal_panel_seats", None)


@rules.predicate
def on_panel(user, tender: Tender) -> bool:
    return panel_seat(user, tender) is not None


@rules.predicate
def is_panel_moderator(user, tender: Tender) -> bool:
    seat = panel_seat(user, tender)
    return seat is not None and seat.is_moderator


@rules.predicate
def has_declared(user, tender: Tender) -> bool:
    return latest_declaration(user, tender) is not None


@rules.predicate
def unconflicted_for_tender(user, tender: Tender) -> bool:
    """Declared, and none of the organisations they named has bid for this tender."""
    if latest_declaration(user, tender) is None:
        return False
    named = conflicted_organisation_ids(user, tender)
    return not named or not tender.bids.filter(status="submitted", organisation__in=named).exists()


@rules.predicate
def is_draft(user, tender: Tender) -> bool:
    return tender.status == "draft"


@rules.predicate
def bids_opened(user, tender: Tender) -> bool:
    return tender.status in OPENED_STATES


@rules.predicate
def open_for_scoring(user, bid) -> bool:
    """Evaluation is under way and no award is proposed or made for the bid's lot yet."""
    if bid.tender.status not in ("evaluation", "awarding"):
        return False
    return not Award.objects.filter(tender_id=bid.tender_id, lot_id=bid.lot_id).exclude(
        status="cancelled").exists()


@rules.predicate
def unconflicted_for_bid(user, bid) -> bool:
    """Declared for the bid's tender, without naming the bidder or a consortium member."""
    if latest_declaration(user, bid.tender) is None:
        return False
    return not (conflicted_organisation_ids(user, bid.tender) & bid_organisation_ids(bid))


@rules.predicate
def assessable(user, bid) -> bool:
    return bid.status == "submitted" and not bid.disregarded_reason


@rules.predicate
def is_authority_admin(user, organisation) -> bool:
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    return Role.AUTHORITY_ADMIN in roles_of(user=user, organisation=organisation)


def _on_tender(predicate):
    """Lift a tender predicate to a bid predicate."""
    @rules.predicate(name=f"bid_{predicate.name}")
    def lifted(user, bid) -> bool:
        return predicate.test(user, bid.tender)

    return lifted


@rules.predicate
def on_delegated_panel(user, tender: Tender) -> bool:
    """On the roll of an open citizens' panel decision scoring some of the tender's questions."""
    from citizens.selectors.decisions import on_open_roll
    from commissioning.models import CitizensDelegation

    if not getattr(user, "is_authenticated", False) or not isinstance(tender, Tender):
        return False
    return any(on_open_roll(decision_id=decision_id, user=user)
               for decision_id in CitizensDelegation.objects.filter(
                   tender=tender, status=CitizensDelegation.Status.WITH_PANEL)
               .values_list("decision_id", flat=True))


@rules.predicate
def delegation_member(user, delegation) -> bool:
    from citizens.selectors.decisions import on_open_roll

    return (delegation.status == delegation.Status.WITH_PANEL
            and on_open_roll(decision_id=delegation.decision_id, user=user))


@rules.predicate
def delegation_member_declared(user, delegation) -> bool:
    return latest_declaration(user, delegation.tender) is not None


@rules.predicate
def delegation_bids_opened(user, delegation) -> bool:
    return delegation.tender.status in OPENED_STATES


@rules.predicate
def delegation_manager(user, delegation) -> bool:
    return runs_tender.test(user, delegation.tender)


@rules.predicate
def delegation_with_panel(user, delegation) -> bool:
    return delegation.status == delegation.Status.WITH_PANEL


@rules.predicate
def delegation_unconflicted(user, delegation) -> bool:
    return unconflicted_for_tender.test(user, delegation.tender)


may_read_bid_for_evaluation = (
    (_on_tender(on_panel) | _on_tender(runs_tender)) & _on_tender(bids_opened)
    & unconflicted_for_bid & assessable
)

rules.add_perm("commissioning.change_criteria", runs_tender & is_draft)
rules.add_perm("commissioning.view_criteria", runs_tender | on_panel)
rules.add_perm("commissioning.open_bids", runs_tender)
rules.add_perm("commissioning.manage_panel", runs_tender)
rules.add_perm("commissioning.declare_conflict", on_panel | runs_tender | on_delegated_panel)
rules.add_perm("commissioning.delegate_questions", runs_tender)
rules.add_perm("commissioning.view_delegation", delegation_manager | delegation_member)
rules.add_perm("commissioning.score_delegated", delegation_member)
# A citizens' panel member reads the delegated answers only after declaring (the bids they are
# conflicted with are left out one by one, and a conflict with any bidder stands them aside).
rules.add_perm("commissioning.read_delegated_answers",
               delegation_member & delegation_member_declared & delegation_bids_opened)
# The tender's managers summarise the answers for the panel (reading them, so declared and
# unconflicted), and may take the questions back while the panel has them.
rules.add_perm("commissioning.summarise_delegated", delegation_manager & delegation_with_panel
               & delegation_bids_opened & delegation_unconflicted)
rules.add_perm("commissioning.recall_delegation", delegation_manager & delegation_with_panel)
rules.add_perm("commissioning.view_evaluation", (on_panel | runs_tender) & bids_opened)
rules.add_perm("commissioning.score_bid", _on_tender(on_panel) & open_for_scoring
               & unconflicted_for_bid & assessable)
rules.add_perm("commissioning.view_bid_scores", may_read_bid_for_evaluation)
rules.add_perm("commissioning.moderate_bid",
               (_on_tender(is_panel_moderator) | _on_tender(is_commissioner))
               & open_for_scoring & unconflicted_for_bid & assessable)
rules.add_perm("commissioning.view_ranking", runs_tender & bids_opened & unconflicted_for_tender)
rules.add_perm("commissioning.change_procurement_settings", is_authority_admin)
