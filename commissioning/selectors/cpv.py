"""Reads of the CPV 2008 reference list: finding codes as someone types, and descriptions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from commissioning.models import CpvCode

SEARCH_LIMIT = 50


def cpv_search(query: str) -> QuerySet[CpvCode]:
    """Codes starting with the digits typed, or whose description has every word typed."""
    query = query.strip()[:100]
    digits = re.sub(r"[^0-9]", "", query.split("-")[0])
    if not query:
        return CpvCode.objects.none()
    if digits and digits == re.sub(r"[\s-]", "", query)[:len(digits)] and query[0].isdigit():
        return CpvCode.objects.filter(code__startswith=digits[:8])[:SEARCH_LIMIT]
    words = [w for w in re.split(r"\s+", query) if len(w) > 1][:6]
    if not words:
        return CpvCode.objects.none()
    condition = Q()
    for word in words:
        condition &= Q(description__icontains=word)
    return CpvCode.objects.filter(condition)[:SEARCH_LIMIT]


def cpv_descriptions(codes: Iterable[str]) -> dict[str, str]:
    """{code: description} for codes like ``85310000-5`` (one query)."""
    plain = {c.split("-")[0] for c in codes}
    return dict(CpvCode.objects.filter(code__in=plain).values_list("code", "description"))
