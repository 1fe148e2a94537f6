"""The shared htmx pieces: one template serves a page and its fragments; caches keep them apart."""

from django.test import RequestFactory
from django_htmx.middleware import HtmxMiddleware

from core.htmx import is_htmx, render_fragment, render_page_or_fragment

PAGE = "commissioning/bids/social_value.html"
CONTEXT = {"check": {"live": True, "errors": 2, "warnings": 0, "general": []}}


def request(**headers):
    made = RequestFactory().get("/", **headers)
    HtmxMiddleware(lambda r: None)(made)
    return made


def test_htmx_requests_are_told_apart_by_their_header():
    assert is_htmx(request(HTTP_HX_REQUEST="true"))
    assert not is_htmx(request())


def test_an_htmx_request_gets_only_the_named_partial_marked_for_an_out_of_band_swap():
    response = render_page_or_fragment(request(HTTP_HX_REQUEST="true"), PAGE, CONTEXT,
                                       fragment="status")
    html = response.content.decode().strip()
    assert html.startswith('<div id="sv-check-status"')
    assert 'hx-swap-oob="innerHTML"' in html and "2 problems to fix" in html
    assert "HX-Request" in response["Vary"]


def test_a_fragment_is_marked_for_its_swap_and_varies_on_the_header():
    response = render_fragment(request(HTTP_HX_REQUEST="true"), PAGE, "status", CONTEXT)
    assert 'hx-swap-oob="innerHTML"' in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_without_htmx_the_whole_page_comes_back(db):
    from django.contrib.auth.models import AnonymousUser

    plain = request()
    plain.user = AnonymousUser()
    plain.csp_nonce = "n"
    response = render_page_or_fragment(plain, "404.html", {}, fragment="status")
    html = response.content.decode()
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "/static/build/htmx.min.js" in html
    assert "HX-Request" in response["Vary"]
