"""request.received_at: the portal's own time, or a trusted proxy's header, within bounds."""

from __future__ import annotations

import datetime

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core import request_time
from core.request_time import RequestReceivedMiddleware, parse_request_start

SEEN = datetime.datetime(2027, 3, 5, 11, 59, 59, 500000, tzinfo=datetime.UTC)
EPOCH = SEEN.timestamp()


def stamp(headers: dict | None = None) -> datetime.datetime:
    request = RequestFactory().get("/", headers=headers or {})
    RequestReceivedMiddleware(lambda r: HttpResponse())(request)
    return request.received_at


@pytest.fixture(autouse=True)
def portal_clock(monkeypatch):
    monkeypatch.setattr(request_time, "portal_now", lambda: SEEN)


@pytest.mark.parametrize("value", [
    f"t={EPOCH - 2:.3f}", f"{EPOCH - 2:.6f}", f"t={int((EPOCH - 2) * 1000)}",
    f"t={int((EPOCH - 2) * 1_000_000)}", f" t={int((EPOCH - 2) * 1_000_000)} ",
])
def test_the_header_forms_proxies_write(value):
    parsed = parse_request_start(value)
    assert abs((parsed - (SEEN - datetime.timedelta(seconds=2))).total_seconds()) < 0.001


@pytest.mark.parametrize("value", ["", "t=", "soon", "t=-5", "nan", "inf", "t=1e400", "0"])
def test_what_is_not_a_time_is_not_believed(value):
    assert parse_request_start(value) is None


def test_without_a_configured_header_the_portal_time_is_used_whatever_the_client_sends(settings):
    settings.REQUEST_START_HEADER = None
    assert stamp({"X-Request-Start": f"t={EPOCH - 5:.3f}"}) == SEEN
    assert stamp() == SEEN


def test_the_configured_proxy_header_gives_the_time(settings):
    settings.REQUEST_START_HEADER = "X-Request-Start"
    received = stamp({"X-Request-Start": f"t={int((EPOCH - 1.25) * 1_000_000)}"})
    assert received == SEEN - datetime.timedelta(seconds=1.25)


def test_a_time_earlier_than_a_proxy_could_have_seen_it_is_clamped(settings):
    settings.REQUEST_START_HEADER = "X-Request-Start"
    settings.REQUEST_START_MAX_AGE = 60
    assert stamp({"X-Request-Start": f"t={EPOCH - 3600:.3f}"}) == SEEN - datetime.timedelta(
        seconds=60)


def test_a_time_after_the_portal_saw_the_request_is_the_portal_time(settings):
    settings.REQUEST_START_HEADER = "X-Request-Start"
    assert stamp({"X-Request-Start": f"t={EPOCH + 30:.3f}"}) == SEEN


def test_a_configured_header_that_is_missing_or_garbled_falls_back(settings):
    settings.REQUEST_START_HEADER = "X-Request-Start"
    assert stamp() == SEEN
    assert stamp({"X-Request-Start": "yesterday"}) == SEEN


def test_the_stamp_is_the_first_middleware():
    from django.conf import settings

    assert settings.MIDDLEWARE[0] == "core.request_time.RequestReceivedMiddleware"
