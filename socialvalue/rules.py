"""Who may do what with social value plans, ledgers, the catalogue and reports."""

import rules

from organisations.models import AUTHORITY_ROLES, Organisation, Role
from organisations.rules import is_platform_admin
from organisations.selectors import roles_of

PLAN_EDITORS = frozenset({Role.COMMISSIONER, Role.AUTHORITY_ADMIN})
REVIEWERS = frozenset({Role.CONTRACT_MANAGER, Role.COMMISSIONER, Role.AUTHORITY_ADMIN})
SUPPLIER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.BID_WRITER})


def _holds(user, organisation_id, wanted) -> bool:
    if organisation_id is None or not user.is_authenticated:
        return False
    organisation = Organisation(pk=organisation_id)
    return bool(roles_of(user=user, organisation=organisation) & wanted)


@rules.predicate
def plan_staff(user, plan) -> bool:
    return plan is not None and _holds(user, plan.authority_id, AUTHORITY_ROLES)


@rules.predicate
def plan_editor(user, plan) -> bool:
    return plan is not None and _holds(user, plan.authority_id, PLAN_EDITORS)


@rules.predicate
def ledger_authority_staff(user, ledger) -> bool:
    return ledger is not None and _holds(user, ledger.authority_id, REVIEWERS)


@rules.predicate
def ledger_supplier(user, ledger) -> bool:
    return ledger is not None and _holds(user, ledger.supplier_id, SUPPLIER_ROLES)


@rules.predicate
def catalogue_editor(user, authority) -> bool:
    return authority is not None and _holds(user, authority.pk, PLAN_EDITORS)


@rules.predicate
def authority_staff(user, authority) -> bool:
    return authority is not None and _holds(user, authority.pk, AUTHORITY_ROLES)


rules.add_perm("socialvalue.view_plan", plan_staff | is_platform_admin)
rules.add_perm("socialvalue.change_plan", plan_editor)
rules.add_perm("socialvalue.view_ledger",
               ledger_authority_staff | ledger_supplier | is_platform_admin)
rules.add_perm("socialvalue.report_delivery", ledger_supplier)
rules.add_perm("socialvalue.review_delivery", ledger_authority_staff)
rules.add_perm("socialvalue.import_catalogue", catalogue_editor)
rules.add_perm("socialvalue.view_catalogue", authority_staff | is_platform_admin)
rules.add_perm("socialvalue.view_reports", authority_staff | is_platform_admin)
