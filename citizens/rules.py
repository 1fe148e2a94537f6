"""Who may do what on a panel: django-rules predicates over roles and the phase registry.

A person's active roles on a panel are looked up once per request and panel (cached on the
user object), so pages that ask several questions cost one query.
"""

from __future__ import annotations

import rules

from citizens import phases
from citizens.models import Decision, Panel, PanelMembership, PanelRole
from organisations.models import Role
from organisations.selectors import roles_of

STAFF_ROLES = frozenset({Role.AUTHORITY_ADMIN, Role.COMMISSIONER})
VOTERS = frozenset({PanelRole.MEMBER, PanelRole.YOUNG_MEMBER})
RUNNERS = frozenset({PanelRole.FACILITATOR, PanelRole.OFFICER})


def panel_of(obj) -> Panel | None:
    if isinstance(obj, Panel):
        return obj
    return getattr(obj, "panel", None)


def panel_roles(user, panel: Panel | None) -> frozenset[str]:
    """The user's roles on the panel that are in force (accepted, consented)."""
    if panel is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = user.__dict__.setdefault("_citizens_panel_roles", {})
    if panel.pk not in cache:
        cache[panel.pk] = frozenset(PanelMembership.objects.filter(
            panel_id=panel.pk, user_id=user.pk, status=PanelMembership.Status.ACTIVE,
        ).values_list("role", flat=True))
    return cache[panel.pk]


def forget_roles(user) -> None:
    user.__dict__.pop("_citizens_panel_roles", None)


def _role(*wanted: str):
    wanted_set = frozenset(wanted)

    @rules.predicate(name=f"panel_role({', '.join(sorted(wanted_set))})")
    def predicate(user, obj) -> bool:
        return bool(panel_roles(user, panel_of(obj)) & wanted_set)

    return predicate


@rules.predicate
def is_authority_staff(user, obj) -> bool:
    panel = panel_of(obj)
    if panel is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(roles_of(user=user, organisation=panel.authority) & STAFF_ROLES)


@rules.predicate
def is_platform_admin(user, obj) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_platform_admin)


def phase_allows(action: str):
    @rules.predicate(name=f"phase_allows({action})")
    def predicate(user, obj) -> bool:
        panel = panel_of(obj)
        return panel is not None and phases.allows(panel.phase, action)

    return predicate


@rules.predicate
def decision_is_open(user, decision) -> bool:
    return isinstance(decision, Decision) and decision.is_open


@rules.predicate
def phase_allows_decision(user, decision) -> bool:
    return phases.allows(decision.panel.phase, phases.action_for_method(decision.method))


@rules.predicate
def decision_closed(user, decision) -> bool:
    return decision.is_closed


@rules.predicate
def results_live(user, decision) -> bool:
    return decision.is_open and decision.results_visibility == Decision.Visibility.LIVE


is_voter = _role(*VOTERS)
is_young_member = _role(PanelRole.YOUNG_MEMBER)
is_facilitator = _role(PanelRole.FACILITATOR)
is_officer = _role(PanelRole.OFFICER)
is_observer = _role(PanelRole.OBSERVER)
is_runner = _role(*RUNNERS)
is_on_panel = _role(*PanelRole.values)

can_manage_panel = is_runner | is_authority_staff
can_view_space = is_on_panel | is_authority_staff | is_platform_admin

rules.add_perm("citizens.view_panel_space", can_view_space)
rules.add_perm("citizens.manage_panel", can_manage_panel)
rules.add_perm("citizens.run_selection", can_manage_panel)
rules.add_perm("citizens.facilitate", is_runner)
rules.add_perm("citizens.moderate", is_facilitator | is_officer)
rules.add_perm("citizens.comment", (is_voter | is_runner) & phase_allows(phases.COMMENT))
rules.add_perm("citizens.record_attendance", is_runner)
rules.add_perm("citizens.claim_expenses", is_voter)
rules.add_perm("citizens.approve_claims", is_officer | is_authority_staff)
rules.add_perm("citizens.respond", is_officer | is_authority_staff)
rules.add_perm("citizens.manage_decision", can_manage_panel)
rules.add_perm("citizens.enter_paper_ballots", is_officer | is_authority_staff)
rules.add_perm("citizens.vote",
               is_voter & decision_is_open & phase_allows_decision)
rules.add_perm("citizens.see_turnout", can_manage_panel)
# Results are public once voting closes (anyone may recount them); live results only inside.
rules.add_perm("citizens.view_results", decision_closed | (results_live & can_view_space))


def can(user, perm: str, obj=None) -> bool:
    """The rule itself, never Django's superuser shortcut: a superuser sees no early result
    and casts no ballot unless a rule says so."""
    return rules.has_perm(perm, user, obj)
