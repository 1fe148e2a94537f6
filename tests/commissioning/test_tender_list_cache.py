"""The public tender list is kept rendered, yet every change shows on the very next request."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning import listing
from commissioning.services import tenders
from commissioning.services.tender_content import tender_cpv_set
from core import pagecache
from tests import factories
from tests.commissioning import factories as cf
from tests.commissioning.test_public_views import titles

pytestmark = pytest.mark.django_db
LIST = reverse("commissioning:tender_list")


@pytest.fixture
def release():
    with mock.patch("commissioning.services.tenders.release_publish") as publish:
        yield publish


def queries_for(client, *args, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(*args, **kwargs)
    assert response.status_code == 200
    return response, len(queries)


def buyers(response) -> list[str]:
    select = re.search(r'<select name="authority".*?</select>', response.content.decode(), re.S)
    return re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select.group(0))


def test_a_repeated_anonymous_visit_is_served_without_the_database(client):
    cf.TenderFactory(title="Kept")
    _, first = queries_for(client, LIST, {"q": "kept"})
    response, again = queries_for(client, LIST, {"q": "kept"})
    assert first > 0 and again == 0
    assert titles(response) == ["Kept"]


def test_a_newly_published_tender_shows_at_once(client, commissioner, authority, release):
    cf.TenderFactory(title="Already open")
    assert titles(client.get(LIST)) == ["Already open"]
    draft = cf.publishable_tender(authority=authority, created_by=commissioner,
                                  title="Just published")
    assert titles(client.get(LIST)) == ["Already open"]  # drafts stay out
    tenders.tender_publish(actor=commissioner, tender=draft)
    assert titles(client.get(LIST)) == ["Just published", "Already open"]


def test_a_changed_tender_shows_at_once_in_every_query(client):
    tender = cf.TenderFactory(title="Meals on wheels")
    assert titles(client.get(LIST, {"q": "meals"})) == ["Meals on wheels"]
    assert titles(client.get(LIST, {"q": "lunch"})) == []
    tender.title = "Lunch club"
    tender.save()
    assert titles(client.get(LIST, {"q": "meals"})) == []
    assert titles(client.get(LIST, {"q": "lunch"})) == ["Lunch club"]


def test_an_extended_deadline_and_new_cpv_codes_show_at_once(client, commissioner, release):
    tender = cf.TenderFactory(authority=commissioner.memberships.first().organisation)
    client.get(LIST)
    new_deadline = tender.deadline + timedelta(days=7)
    tenders.tender_extend_deadline(actor=commissioner, tender=tender, new_deadline=new_deadline,
                                   reason="More time for consortia to form.")
    assert f"{timezone.localtime(new_deadline):%B %Y}" in client.get(LIST).content.decode()
    assert titles(client.get(LIST, {"cpv": "7999"})) == []
    cf.TenderCpvFactory(tender=tender, code="79990000-0", is_main=False)
    assert titles(client.get(LIST, {"cpv": "7999"})) == [tender.title]


def test_setting_cpv_codes_in_bulk_ends_the_version(commissioner, draft_tender):
    before = pagecache.version(listing.SCOPE)
    tender_cpv_set(actor=commissioner, tender=draft_tender, codes=["79990000-0"],
                   main="79990000-0")
    assert pagecache.version(listing.SCOPE) != before


def test_a_passed_deadline_ends_the_version(client):
    soon = timezone.now() + timedelta(minutes=2)
    cf.TenderFactory(deadline=soon)
    cf.TenderFactory(deadline=timezone.now() + timedelta(days=3))
    assert listing.next_change_at() == soon
    lifetime = pagecache._lifetime(listing.SCOPE)
    assert 100 <= lifetime <= 121  # ends with the first deadline, not at the five-minute cap


def test_the_buyers_in_the_filter_follow_the_tenders(client):
    first = cf.TenderFactory(authority=factories.AuthorityFactory(name="Avon Council"))
    assert buyers(client.get(LIST)) == ["Avon Council"]
    cf.TenderFactory(authority=factories.AuthorityFactory(name="Bath Council"))
    assert buyers(client.get(LIST)) == ["Avon Council", "Bath Council"]
    first.authority.name = "Avon and Somerset Council"
    first.authority.save()
    response = client.get(LIST)
    assert buyers(response) == ["Avon and Somerset Council", "Bath Council"]
    assert "Avon and Somerset Council ·" in response.content.decode()
    chosen = client.get(LIST, {"authority": first.authority_id})
    assert titles(chosen) == [first.title]
    assert "Select a valid choice" in client.get(LIST, {"authority": "999999"}).content.decode()


def test_each_served_page_carries_its_own_csp_nonce(client):
    cf.TenderFactory()
    nonces = []
    for _ in range(2):
        response = client.get(LIST)
        header = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", header).group(1)
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert "\x00" not in response.content.decode()


def test_signed_in_visitors_get_their_own_page_around_the_shared_list(client, bid_writer):
    cf.TenderFactory(title="Shared")
    client.get(LIST)  # kept for anonymous visitors
    client.force_login(bid_writer)
    page = client.get(LIST).content.decode()
    assert "Sign out" in page and "Shared" in page
    client.logout()
    page = client.get(LIST).content.decode()
    assert "Sign out" not in page and "Sign in" in page


def test_a_visitor_with_a_message_waiting_gets_it(client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    client.get(LIST)
    storage = CookieStorage(mock.Mock(COOKIES={}))
    encoded = storage._encode([Message(constants.SUCCESS, "Your account was deleted.")])
    client.cookies["messages"] = encoded
    assert "Your account was deleted." in client.get(LIST).content.decode()


def test_without_the_shared_cache_every_page_is_rendered_fresh(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    tender = cf.TenderFactory(title="First")
    _, first = queries_for(client, LIST)
    response, again = queries_for(client, LIST)
    assert again == first > 0
    tender.title = "Renamed"
    tender.save()
    assert titles(client.get(LIST)) == ["Renamed"]


def test_an_htmx_request_gets_the_filters_and_results_alone(client):
    cf.TenderFactory(title="Care at home", suitable_for_vcse=True)
    cf.TenderFactory(title="Grounds", suitable_for_vcse=False)
    full = client.get(LIST, {"suitable": "vcse"})
    fragment = client.get(LIST, {"suitable": "vcse"}, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body and "<html" in full.content.decode()
    assert body.strip().startswith('<div class="govuk-grid-row" id="tender-list">')
    assert titles(fragment) == ["Care at home"] == titles(full)
    assert 'name="suitable" value="vcse"' in body and "checked" in body
    assert "HX-Request" in fragment["Vary"] and "Cookie" in fragment["Vary"]
    restore = client.get(LIST, {"suitable": "vcse"}, HTTP_HX_REQUEST="true",
                         HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()


def test_an_invalid_filter_is_shown_in_the_fragment_too(client):
    fragment = client.get(LIST, {"closing_to_day": "31", "closing_to_month": "2",
                                 "closing_to_year": "2027"}, HTTP_HX_REQUEST="true")
    assert "must be a real date" in fragment.content.decode()
    assert "govuk-error-summary" in fragment.content.decode()


def test_overlong_queries_are_answered_but_not_kept(client):
    cf.TenderFactory(title="Anything")
    long_query = {"q": "care " * 300}
    _, first = queries_for(client, LIST, long_query)
    _, again = queries_for(client, LIST, long_query)
    assert first > 0 and again > 0  # the list is queried again, never read from memory
