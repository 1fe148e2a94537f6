"""Open opportunities shown on the home page, contributed by the domain apps.

An app registers a source (a function returning `Opportunity` rows) in its AppConfig.ready();
core knows nothing of tenders or grants beyond this shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class Opportunity:
    title: str
    url: str
    kind: str  # "Tender", "Grant round", ...
    buyer: str
    closes_at: datetime
    summary: str = ""


Source = Callable[[int], list[Opportunity]]
_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def open_opportunities(*, limit: int = 20) -> list[Opportunity]:
    """The soonest-closing open opportunities across every registered source."""
    now = timezone.now()
    rows = [o for source in _sources for o in source(limit) if o.closes_at > now]
    return sorted(rows, key=lambda o: o.closes_at)[:limit]
