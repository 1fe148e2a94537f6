"""Actions a page offers: each link is shown only when the person's permission for it holds.

Presenters pass (label, href, permission) triples; the permission is the one the linked view
asks for, checked through django-rules against the same object, so a link never leads to 403.
Predicates cache what they read per request (roles, panel seats), so each check costs no query.
Checked with ``rules.has_perm`` as the views check, not ``user.has_perm``, which a superuser
passes whatever the rule says.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules


def permitted_links(user, obj, candidates: Iterable[tuple[str, str, str | None]]) -> list[dict]:
    """{"label", "href"} for each candidate whose permission (None: none needed) holds."""
    return [{"label": label, "href": href} for label, href, perm in candidates
            if perm is None or rules.has_perm(perm, user, obj)]
