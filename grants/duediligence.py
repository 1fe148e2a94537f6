"""Due diligence sources: manual evidence by default, an adapter where a registry lookup plugs in.

The portal runs offline, so the default source records what a person checked, with evidence.
A Companies House or Charity Commission lookup implements `DueDiligenceSource` and is named in
the ``GRANTS_DUE_DILIGENCE_SOURCES`` setting (dotted paths); it then offers its findings as a
starting point that a person still confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Finding:
    kind: str
    outcome: str
    notes: str


class DueDiligenceSource(Protocol):
    name: str

    def lookup(self, organisation) -> list[Finding]: ...


class ManualEvidence:
    """No lookup: the grant manager records what they checked and attaches the evidence."""

    name = "manual"

    def lookup(self, organisation) -> list[Finding]:
        return []


def sources() -> list[DueDiligenceSource]:
    paths = getattr(settings, "GRANTS_DUE_DILIGENCE_SOURCES", [])
    return [ManualEvidence(), *(import_string(path)() for path in paths)]


def source_names() -> list[str]:
    return [source.name for source in sources()]
