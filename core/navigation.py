"""The service navigation: a small registry that apps add their sections to.

Apps call ``register`` from ``AppConfig.ready()``; the ``portal`` context processor asks
``items_for(request)`` for the links the current user may see. URLs are reversed per request,
never at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavigationEntry:
    label: str
    url_name: str
    visible: Callable[[HttpRequest], bool]
    order: int = 100


_entries: dict[str, NavigationEntry] = {}


def register(
    *, label: str, url_name: str, visible: Callable[[HttpRequest], bool], order: int = 100
) -> None:
    """Add (or replace, keyed by ``url_name``) a section of the service navigation."""
    _entries[url_name] = NavigationEntry(
        label=label, url_name=url_name, visible=visible, order=order
    )


def unregister(url_name: str) -> None:
    _entries.pop(url_name, None)


def _is_active(path: str, href: str) -> bool:
    if href == "/":
        return path == "/"
    return path == href or path.startswith(href.rstrip("/") + "/")


def items_for(request: HttpRequest) -> list[dict]:
    """The navigation links ``request.user`` may see, in order, marking the current section."""
    items = []
    for entry in sorted(_entries.values(), key=lambda e: (e.order, e.label)):
        if not entry.visible(request):
            continue
        try:
            href = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # an app registered a section whose URLs are not mounted
        items.append({"label": entry.label, "href": href, "active": _is_active(request.path, href)})
    return items


def _everyone(request: HttpRequest) -> bool:
    return True


register(label="Home", url_name="core:home", visible=_everyone, order=0)
