"""django-rules permissions for direct awards (notices themselves are public once published).

Direct awards are run by the authority's commissioners and administrators; its contract
managers may read them.
"""

from __future__ import annotations

import rules

from commissioning.permissions.evaluation import RUNNERS
from organisations.models import Role
from organisations.selectors import roles_of


def _roles(user, direct_award) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return roles_of(user=user, organisation=direct_award.authority)


@rules.predicate
def runs_direct_award(user, direct_award) -> bool:
    return bool(_roles(user, direct_award) & RUNNERS)


@rules.predicate
def manages_contracts_of(user, direct_award) -> bool:
    return Role.CONTRACT_MANAGER in _roles(user, direct_award)


rules.add_perm("commissioning.manage_direct_award", runs_direct_award)
rules.add_perm("commissioning.view_direct_award", runs_direct_award | manages_contracts_of)
