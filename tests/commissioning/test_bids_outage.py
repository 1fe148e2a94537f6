"""A bidder whose submission meets a database outage sees a clear page, keeps the draft, and
succeeds on retry; a retry of a submission that went through is not recorded twice."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from commissioning.models import Bid, BidReceipt
from commissioning.sealing import unseal
from commissioning.services import bids as services
from tests.commissioning.bids_support import fill_bid, pdf_upload

SUBMIT = {"accurate": "on", "no_collusion": "on"}


@pytest.fixture
def browser(provider_admin):
    client = Client(raise_request_exception=False)
    client.force_login(provider_admin)
    return client


@pytest.fixture
def ready_bid(published_tender, provider, provider_admin):
    bid = services.bid_start(tender=published_tender, organisation=provider,
                             actor=provider_admin)
    return fill_bid(bid, provider_admin)


def payload(bid):
    bid = Bid.objects.get(pk=bid.pk)
    return unseal(tender=bid.tender, blob=bid.sealed_content)


def _terminate_own_connection(*args, **kwargs):
    """PostgreSQL goes away in the middle of the submission, just before it would commit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")


@pytest.mark.django_db(transaction=True)
def test_a_submission_cut_off_by_the_database_is_not_recorded_and_succeeds_on_retry(
        browser, ready_bid, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the outage is a terminated PostgreSQL connection")
    before = payload(ready_bid)
    url = reverse("commissioning:bid_submit", args=[ready_bid.pk])
    monkeypatch.setattr("commissioning.services.bids.submission.bid_audit",
                        _terminate_own_connection)
    response = browser.post(url, SUBMIT)
    assert response.status_code == 503
    page = response.content.decode()
    assert "We could not submit your bid" in page and "Nothing was lost" in page
    assert f'href="{url}"' in page
    monkeypatch.undo()
    connection.close_if_unusable_or_obsolete()  # what Django does after every real request
    assert not BidReceipt.objects.exists()
    assert Bid.objects.get(pk=ready_bid.pk).status == Bid.Status.DRAFT
    assert payload(ready_bid) == before  # the draft is intact
    assert browser.get(url).status_code == 200
    retry = browser.post(url, SUBMIT)
    receipt = BidReceipt.objects.get(bid=ready_bid)
    assert retry.url == reverse("commissioning:bid_receipt", args=[ready_bid.pk, receipt.pk])


@pytest.mark.django_db
def test_an_outage_page_names_the_upload(browser, ready_bid, monkeypatch):
    monkeypatch.setattr("commissioning.services.bids.bid_file_add",
                        lambda **kwargs: (_ for _ in ()).throw(OperationalError("gone")))
    slot = ready_bid.tender.document_slots.first()
    response = browser.post(reverse("commissioning:bid_documents", args=[ready_bid.pk]),
                            {"slot": slot.pk, f"slot{slot.pk}-file": pdf_upload()})
    assert response.status_code == 503
    assert "We could not upload your document" in response.content.decode()


@pytest.mark.django_db
def test_resending_a_submission_that_went_through_shows_its_one_receipt(browser, ready_bid):
    url = reverse("commissioning:bid_submit", args=[ready_bid.pk])
    first = browser.post(url, SUBMIT)
    again = browser.post(url, SUBMIT)
    receipt = BidReceipt.objects.get(bid=ready_bid)
    assert first.url == again.url == reverse("commissioning:bid_receipt",
                                             args=[ready_bid.pk, receipt.pk])
    page = browser.get(again.url).content.decode()
    assert "had already been submitted" in page and receipt.number in page
