"""Live pages with htmx: one view and one template serve the page and its fragments.

A page that updates in place (checked as you type, refreshed as filters change) is an ordinary
page first: without JavaScript its form submits and the whole page comes back. With htmx (the
script is served from static by ``templates/base.html``) an element asks the same view, or a
sibling, for a *fragment*: a named ``{% partialdef %}`` of the page's own template, rendered
with the same context, so the page and its live update never drift apart. See ADR 0010.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_htmx(request: HttpRequest) -> bool:
    """True for a request htmx made (the ``HX-Request`` header, read by django-htmx)."""
    return bool(getattr(request, "htmx", False))


def render_fragment(
    request: HttpRequest, template_name: str, fragment: str, context: dict, *, status: int = 200,
) -> HttpResponse:
    """Only the partial ``fragment`` of the page's template, with ``fragment`` True in the
    context (a partial swapped out of band marks itself so)."""
    response = render(request, f"{template_name}#{fragment}", {**context, "fragment": True},
                      status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def render_page_or_fragment(
    request: HttpRequest, template_name: str, context: dict, *, fragment: str, status: int = 200,
) -> HttpResponse:
    """The whole page; only its partial ``fragment`` when htmx asked (say, a list refreshed
    as its filters change, at the same address as the page).

    Responses vary on ``HX-Request``, so no cache serves a fragment as the page or the page
    as a fragment.
    """
    if is_htmx(request):
        return render_fragment(request, template_name, fragment, context, status=status)
    response = render(request, template_name, {**context, "fragment": False}, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
