"""A database outage is answered with a clear 503 page, wherever in the request it happens."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from core import outage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def fail_with(error):
    def fail(*args, **kwargs):
        raise error

    return fail


def test_a_page_that_loses_the_database_says_so_and_offers_a_retry(browser, monkeypatch):
    monkeypatch.setattr("core.views.open_opportunities",
                        fail_with(OperationalError("server closed the connection")))
    response = browser.get("/?page=2")
    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Sorry, this page is not available right now" in page
    assert 'href="/?page=2"' in page and "Try again" in page
    assert "Nothing you had saved was lost" in page


def test_a_session_that_cannot_be_loaded_is_an_outage_too(browser, monkeypatch):
    user = factories.UserFactory()
    browser.force_login(user)
    monkeypatch.setattr(SessionStore, "load", fail_with(InterfaceError("connection closed")))
    response = browser.get(reverse("core:dashboard"))
    assert response.status_code == 503
    assert "not available right now" in response.content.decode()


def test_a_form_sent_during_an_outage_was_not_recorded_and_can_be_sent_again(browser,
                                                                              monkeypatch):
    browser.force_login(factories.UserFactory())
    monkeypatch.setattr("core.views.dashboard_registry.panels_for",
                        fail_with(OperationalError("the database system is shutting down")))
    response = browser.post(reverse("core:dashboard"), {"anything": "x"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "We could not save what you sent" in page
    assert "Nothing was lost" in page
    assert f'href="{reverse("core:dashboard")}"' in page


def test_other_errors_are_still_the_500_page(browser, monkeypatch):
    monkeypatch.setattr("core.views.open_opportunities", fail_with(ValueError("a bug")))
    response = browser.get("/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_wrapped_database_error_is_recognised():
    try:
        try:
            raise OperationalError("terminating connection due to administrator command")
        except OperationalError as error:
            raise RuntimeError("while rendering") from error
    except RuntimeError as wrapped:
        assert outage.is_outage(wrapped)
    assert not outage.is_outage(ValueError("no"))
    assert not outage.is_outage(None)


@pytest.mark.parametrize("path", ["//evil.example/x", "/\\evil.example/x"])
def test_the_retry_link_never_leaves_the_portal(path):
    request = RequestFactory().get("/")
    request.path = request.path_info = path
    request.META["PATH_INFO"] = path
    link = outage._retry_url(request)
    assert link.startswith("/") and not link.startswith("//") and "\\" not in link
