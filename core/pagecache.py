"""Rendered public pages and fragments, kept until the data they show changes.

A *scope* (for example ``"tender_list"``) names a set of pages that show the same data. Its
current *version* is a random token in the shared cache (Redis): every change to that data
deletes the token (``bump``), so the next request starts a new version and renders afresh; a
token also expires by itself when the pages would change with time alone (a deadline passing,
a new day), as its scope declares with ``expires_at``.

Rendered HTML is kept in each process's own memory (a small LRU keyed by scope, version and
the normalised query), never in Redis: a flood of distinct query strings can neither fill Redis
nor slow anyone down, and a hit costs one small Redis read. When Redis is unreachable there is
no version, so nothing is served from memory and every page is rendered from the database: a
cache outage makes pages slower, never stale.

``public_page_cache(scope)`` wraps a view: for anonymous GET requests with no pending messages
it serves the whole response from memory, with the CSP nonce of *this* request put back into
the page (the cached copy holds a placeholder), and stores 200 responses that set no cookie.
``fragment(scope, request, name, render)`` keeps a piece of HTML the same way for everyone
(the filter form and results, say), so signed-in users save most of the work too.
"""

from __future__ import annotations

import functools
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString

NONCE_PLACEHOLDER = b"\x00csp-nonce\x00"
MAX_QUERY_LENGTH = 1000  # longer query strings are rendered, never kept
MIN_SECONDS, MAX_SECONDS = 1, 300  # a version lives at most this long, whatever happens


@dataclass(frozen=True)
class Scope:
    name: str
    expires_at: Callable[[], datetime | None] | None = None


_scopes: dict[str, Scope] = {}


def register_scope(name: str, *, expires_at: Callable[[], datetime | None] | None = None) -> None:
    """Declare a scope; ``expires_at`` returns when its pages next change with time alone."""
    _scopes[name] = Scope(name, expires_at)


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


def _key(scope: str) -> str:
    return f"pagecache:version:{scope}"


def version(scope: str) -> str | None:
    """The scope's current token, starting a new one if there is none; None when the shared
    cache cannot be reached (or caching is off), which means "render, do not keep"."""
    if not enabled():
        return None
    token = cache.get(_key(scope))
    if token is None:
        cache.add(_key(scope), secrets.token_hex(8), _lifetime(scope))
        token = cache.get(_key(scope))
    return token


def _lifetime(scope: str) -> int:
    expires_at = _scopes[scope].expires_at if scope in _scopes else None
    until = expires_at() if expires_at else None
    if until is None:
        return MAX_SECONDS
    seconds = int((until - timezone.now()).total_seconds()) + 1
    return max(MIN_SECONDS, min(MAX_SECONDS, seconds))


def bump(scope: str) -> None:
    """The data behind ``scope`` changed: forget the version now and again after the commit.

    Now, so the change shows at once inside this transaction's own requests (and in tests);
    after the commit, so a page rendered meanwhile from the old data is not kept under the
    version that follows."""
    if not enabled():
        return
    cache.delete(_key(scope))
    transaction.on_commit(lambda: cache.delete(_key(scope)))


class _Memory:
    """A small thread-safe LRU of rendered pages, local to the process."""

    def __init__(self, size: int) -> None:
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def set(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


memory = _Memory(getattr(settings, "PAGE_CACHE_ENTRIES", 256))


def query_key(request: HttpRequest, *, ignore: tuple[str, ...] = ()) -> str | None:
    """The query string in a canonical order (without the ``ignore`` parameters), or None when
    it is too long to be worth keeping."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return None
    return "&".join(f"{k}={v}" for k, values in sorted(request.GET.lists()) if k not in ignore
                    for v in values)


def remember(scope: str, name: str, compute: Callable[[], object], *, query: str | None = ""):
    """``compute()``, kept in this process until the scope's data changes (computed afresh
    when there is no version, or when ``query`` is None: too long to keep)."""
    token = version(scope) if query is not None else None
    if token is None:
        return compute()
    key = (scope, token, name, query)
    value = memory.get(key)
    if value is None:
        value = compute()
        memory.set(key, value)
    return value


def fragment(scope: str, request: HttpRequest, name: str, render: Callable[[], SafeString]
             ) -> SafeString:
    """``render()`` (HTML from the template engine, the same for everyone asking with this
    query), kept until the scope's data changes."""
    query = query_key(request)
    if query is None:
        return render()
    return remember(scope, name, render, query=query)


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for part of a page (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _servable(request: HttpRequest) -> bool:
    return (request.method == "GET" and not request.user.is_authenticated
            and not len(get_messages(request)))


def public_page_cache(scope: str):
    """Serve anonymous GET requests for the wrapped view from memory while ``scope`` holds."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            token = version(scope) if _servable(request) else None
            query = query_key(request) if token else None
            if query is None:
                return _vary(view(request, *args, **kwargs))
            key = (scope, token, view.__qualname__, wants_fragment(request), query, args,
                   tuple(sorted(kwargs.items())))
            kept = memory.get(key)
            if kept is not None:
                return _replay(request, *kept)
            response = view(request, *args, **kwargs)
            if _keepable(response):
                nonce = getattr(request, "_csp_nonce", None)
                body = response.content
                if nonce:
                    body = body.replace(nonce.encode(), NONCE_PLACEHOLDER)
                memory.set(key, (body, response["Content-Type"]))
            return _vary(response)

        return wrapper

    return decorator


def _keepable(response: HttpResponse) -> bool:
    return (response.status_code == 200 and not response.cookies
            and not getattr(response, "streaming", False))


def _replay(request: HttpRequest, body: bytes, content_type: str) -> HttpResponse:
    if NONCE_PLACEHOLDER in body:
        body = body.replace(NONCE_PLACEHOLDER, str(request.csp_nonce).encode())
    return _vary(HttpResponse(body, content_type=content_type))


def _vary(response: HttpResponse) -> HttpResponse:
    # The same URL answers a full page or an htmx fragment, and differs once signed in.
    patch_vary_headers(response, ("Cookie", "HX-Request", "HX-History-Restore-Request"))
    return response
