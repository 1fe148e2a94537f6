"""Dashboard panels contributed by apps: each shows for the roles it concerns.

A panel is (template, context function, visible predicate). The dashboard view renders the
panels visible to the user, in order, so each app owns what it shows to whom.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    visible: Callable[[HttpRequest], bool]
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    visible = sorted((p for p in _panels.values() if p.visible(request)), key=lambda p: p.order)
    return [{"template": p.template, **p.context(request)} for p in visible]
