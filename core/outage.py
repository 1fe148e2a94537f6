"""A database outage answers with a clear page, never a 500 or a hang.

When PostgreSQL restarts or fails over, requests in flight and those arriving until it is back
raise ``OperationalError`` or ``InterfaceError``, wherever they are: in a view, a service, or a
middleware loading the session. Django turns any uncaught exception into a call of the 500
handler (``core.views.server_error``); that handler asks ``is_outage`` and, for these errors,
answers ``outage_response``: 503 with ``Retry-After``, a GOV.UK page saying what could not be
done, that nothing saved was lost, and a button to try again. Every write runs in a transaction,
so the failed request changed nothing; services are safe to retry (a second submission of the
same bid is refused, not recorded twice).

The page is rendered without a request or context processors: they would reach for the
database again. A view names what it does with ``@outage_action("submit your bid")``, so a
failed submission reads "We could not submit your bid". Connections give up after a few seconds
(``connect_timeout`` in the settings), so nobody waits long for an unreachable database.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

OUTAGE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def outage_action(action: str) -> Callable:
    """Name what a view does, for the outage page: ``@outage_action("submit your bid")``."""

    def mark(view: Callable) -> Callable:
        view.outage_action = action
        return view

    return mark


def is_outage(error: BaseException | None) -> bool:
    """True for a lost or refused database connection, also when wrapped in another error."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, OUTAGE_ERRORS):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def current_error_is_outage() -> bool:
    """For a 500 handler: is the exception being handled a database outage?"""
    return is_outage(sys.exc_info()[1])


def _action(request: HttpRequest) -> str | None:
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return None
    return getattr(view, "outage_action", None)


def _retry_url(request: HttpRequest) -> str:
    path = request.get_full_path()
    return path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else "/"


def outage_response(request: HttpRequest) -> HttpResponse:
    """503: what could not be done, that nothing saved was lost, and a way to try again."""
    sending = request.method not in _SAFE_METHODS
    action = _action(request) if sending else None
    if action:
        title = f"We could not {action}"
    elif sending:
        title = "We could not save what you sent"
    else:
        title = "Sorry, this page is not available right now"
    page = loader.get_template("503.html").render(
        {"title": title, "retry_url": _retry_url(request), "was_sending": sending})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
