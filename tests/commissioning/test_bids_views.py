"""Bid pages as a provider uses them: errors next to fields, nothing typed is lost."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from commissioning.models import Bid, BidReceipt
from commissioning.sealing import unseal
from commissioning.services import bids as services
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf
from tests.commissioning.bids_support import ServerClock, fill_bid, pdf_upload
from tests.socialvalue.conftest import local_framework, local_measures, plan  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def server_clock(monkeypatch) -> ServerClock:
    return ServerClock(monkeypatch)


@pytest.fixture
def bid(published_tender, provider, provider_admin):
    return services.bid_start(tender=published_tender, organisation=provider,
                              actor=provider_admin)


@pytest.fixture
def signed_in(client, provider_admin):
    client.force_login(provider_admin)
    return client


def payload(bid):
    bid = Bid.objects.get(pk=bid.pk)
    return unseal(tender=bid.tender, blob=bid.sealed_content)


def test_start_a_bid_from_a_tender(signed_in, published_tender, provider):
    url = reverse("commissioning:bid_start", args=[published_tender.pk])
    assert signed_in.get(url).status_code == 200
    response = signed_in.post(url)
    bid = Bid.objects.get(tender=published_tender, organisation=provider)
    assert response.url == reverse("commissioning:bid_detail", args=[bid.pk])
    page = signed_in.get(response.url).content.decode()
    assert "govuk-task-list" in page and "Question 1" in page and "Not yet started" in page


def test_lots_must_be_chosen(signed_in, provider):
    tender = cf.TenderFactory()
    cf.LotFactory(tender=tender, number=1, title="North")
    response = signed_in.post(reverse("commissioning:bid_start", args=[tender.pk]))
    assert "Select the lot you are bidding for" in response.content.decode()


def test_citizens_cannot_start_bids(client, citizen, published_tender):
    client.force_login(citizen)
    response = client.post(reverse("commissioning:bid_start", args=[published_tender.pk]))
    assert response.status_code == 403
    assert not Bid.objects.exists()


def test_an_answer_over_the_word_limit_is_saved_and_the_error_shown(signed_in, bid):
    question = bid.tender.questions.get()
    question.word_limit = 3
    question.save()
    url = reverse("commissioning:bid_answer", args=[bid.pk, question.pk])
    text = "one two three four five"
    response = signed_in.post(url, {"answer": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert "We saved your answer. Your answer to question 1 must be 3 words or fewer" in page
    assert text in page  # still in the box
    assert payload(bid)["answers"][str(question.pk)] == text


def test_an_answer_within_the_limit_returns_to_the_task_list(signed_in, bid):
    question = bid.tender.questions.get()
    url = reverse("commissioning:bid_answer", args=[bid.pk, question.pk])
    response = signed_in.post(url, {"answer": "We hire locally."})
    assert response.url == reverse("commissioning:bid_detail", args=[bid.pk])
    assert "We hire locally." in signed_in.get(url).content.decode()


def test_price_lines_must_add_up_and_are_kept(signed_in, bid):
    url = reverse("commissioning:bid_price", args=[bid.pk])
    data = {"total": "100.00", "line-TOTAL_FORMS": "2", "line-INITIAL_FORMS": "0",
            "line-0-item": "Staff", "line-0-amount": "60", "line-1-item": "Rent",
            "line-1-amount": "30"}
    page = signed_in.post(url, data).content.decode()
    assert "adds up to £90.00, but your total price is £100.00" in page
    assert payload(bid)["price"] == {"total": "100.00", "breakdown": [
        {"item": "Staff", "amount": "60.00"}, {"item": "Rent", "amount": "30.00"}]}
    data["line-1-amount"] = "abc"
    page = signed_in.post(url, data).content.decode()
    assert "Amount must be an amount of money" in page and 'value="Rent"' in page


def test_adding_a_price_line_keeps_what_was_typed(signed_in, bid):
    url = reverse("commissioning:bid_price", args=[bid.pk])
    response = signed_in.post(url, {"total": "", "line-TOTAL_FORMS": "1",
                                    "line-INITIAL_FORMS": "0", "line-0-item": "Staff",
                                    "line-0-amount": "60", "add_line": "1"})
    assert response.status_code == 302
    page = signed_in.get(response.url).content.decode()
    assert 'value="Staff"' in page and 'name="line-1-item"' in page


def test_documents_upload_duplicate_names_and_remove(signed_in, bid):
    url = reverse("commissioning:bid_documents", args=[bid.pk])
    slot = bid.tender.document_slots.get()
    for _ in range(2):
        response = signed_in.post(url, {"slot": slot.pk, f"slot{slot.pk}-file": pdf_upload()})
        assert response.status_code == 302
    page = signed_in.get(url).content.decode()
    assert "more than one file called “method.pdf”" in page
    bid_file = bid.files.first()
    download = signed_in.get(reverse("commissioning:bid_file", args=[bid.pk, bid_file.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    signed_in.post(reverse("commissioning:bid_file_remove", args=[bid.pk, bid_file.pk]))
    assert bid.files.count() == 1


def test_a_bad_file_is_refused_next_to_its_field(signed_in, bid):
    from django.core.files.uploadedfile import SimpleUploadedFile

    slot = bid.tender.document_slots.get()
    response = signed_in.post(reverse("commissioning:bid_documents", args=[bid.pk]), {
        "slot": slot.pk, f"slot{slot.pk}-file": SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 9)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and f'id="id_slot{slot.pk}-file_error"' in page


def test_submit_lists_what_is_missing_with_links(signed_in, bid):
    response = signed_in.post(reverse("commissioning:bid_submit", args=[bid.pk]),
                              {"accurate": "on"})
    page = response.content.decode()
    assert "Your bid cannot be submitted yet" in page
    question = bid.tender.questions.get()
    assert reverse("commissioning:bid_answer", args=[bid.pk, question.pk]) in page
    assert "Upload Method statement" in page
    assert payload(bid)["declarations"] == {"accurate": True, "no_collusion": False}


def test_submit_shows_the_receipt_and_it_downloads(signed_in, bid, provider_admin):
    fill_bid(bid, provider_admin)
    response = signed_in.post(reverse("commissioning:bid_submit", args=[bid.pk]),
                              {"accurate": "on", "no_collusion": "on"})
    receipt = BidReceipt.objects.get(bid=bid)
    assert response.url == reverse("commissioning:bid_receipt", args=[bid.pk, receipt.pk])
    page = signed_in.get(response.url).content.decode()
    assert "govuk-panel--confirmation" in page and receipt.number in page
    assert receipt.submission_sha256 in page and receipt.file_hashes[0]["sha256"] in page
    download = signed_in.get(reverse("commissioning:bid_receipt_download",
                                     args=[bid.pk, receipt.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{receipt.number}.txt"'
    assert receipt.submission_sha256 in download.content.decode()


def test_submit_at_the_deadline_shows_the_refusal(signed_in, bid, provider_admin, server_clock):
    fill_bid(bid, provider_admin)
    server_clock.at(bid.tender.deadline)
    page = signed_in.post(reverse("commissioning:bid_submit", args=[bid.pk]),
                          {"accurate": "on", "no_collusion": "on"}).content.decode()
    assert "Bids received at or after the deadline cannot be accepted." in page
    assert Bid.objects.get(pk=bid.pk).status == Bid.Status.DRAFT


def test_withdraw_needs_confirming(signed_in, bid, provider_admin):
    fill_bid(bid, provider_admin)
    services.bid_submit(bid=bid, actor=provider_admin)
    url = reverse("commissioning:bid_withdraw", args=[bid.pk])
    assert "Confirm that you understand" in signed_in.post(url).content.decode()
    assert signed_in.post(url, {"confirm": "on"}).status_code == 302
    assert Bid.objects.get(pk=bid.pk).status == Bid.Status.WITHDRAWN


def test_consortium_search_and_add(signed_in, bid):
    partner = factories.OrganisationFactory(name="Northby Care Co-operative")
    url = reverse("commissioning:bid_consortium", args=[bid.pk])
    page = signed_in.get(url, {"q": "northby"}).content.decode()
    assert "Northby Care Co-operative" in page
    response = signed_in.post(f"{url}?q=northby", {"organisation": partner.pk, "role": "member",
                                                   "responsibilities": "Night visits"})
    assert response.status_code == 302
    assert bid.members.get().organisation == partner


def test_social_value_blocks_per_measure_with_issues(signed_in, provider, provider_admin,
                                                     plan):  # noqa: F811
    tender = cf.TenderFactory(authority=plan.authority, social_value_plan=plan)
    bid = services.bid_start(tender=tender, organisation=provider, actor=provider_admin)
    url = reverse("commissioning:bid_social_value", args=[bid.pk])
    page = signed_in.get(url).content.decode()
    measures = list(plan.measures.all())
    assert all(f'name="m{m.pk}-quantity"' in page for m in measures)
    first = measures[0]
    response = signed_in.post(url, {f"m{first.pk}-quantity": "3", f"m{first.pk}-deadweight": "0",
                                    f"m{first.pk}-attribution": "100",
                                    **{f"m{m.pk}-deadweight": "0" for m in measures[1:]},
                                    **{f"m{m.pk}-attribution": "100" for m in measures[1:]}})
    page = response.content.decode()
    assert response.status_code == 200  # required text is missing: errors next to fields
    assert "govuk-error-summary" in page
    [saved] = payload(bid)["social_value"]
    assert saved["plan_measure_id"] == first.pk and saved["quantity"] == "3"


def test_your_bids_lists_with_constant_queries(signed_in, provider, provider_admin):
    url = reverse("commissioning:bid_list")

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert signed_in.get(url).status_code == 200
        return len(context)

    services.bid_start(tender=cf.TenderFactory(), organisation=provider, actor=provider_admin)
    count_queries()  # the first request also remembers the session's MFA check
    one = count_queries()
    for _ in range(5):
        services.bid_start(tender=cf.TenderFactory(), organisation=provider,
                           actor=provider_admin)
    assert count_queries() == one
    page = signed_in.get(url, {"status": "submitted"}).content.decode()
    assert "No bids match these filters." in page


def test_your_bids_empty_state(client):
    organisation = factories.OrganisationFactory()
    client.force_login(factories.member(organisation, Role.BID_WRITER))
    page = client.get(reverse("commissioning:bid_list")).content.decode()
    assert "has not started any bids yet" in page


def test_platform_admin_records_an_incident(client, platform_admin, published_tender):
    client.force_login(platform_admin)
    assert published_tender.title in client.get(
        reverse("commissioning:incident_tenders")).content.decode()
    url = reverse("commissioning:tender_incident", args=[published_tender.pk])
    new = published_tender.deadline + timedelta(days=3)
    from django.utils import timezone

    local = timezone.localtime(new)
    response = client.post(url, {"new_date_day": local.day, "new_date_month": local.month,
                                 "new_date_year": local.year, "new_time": "23:59",
                                 "reason": "Uploads failed for two hours"})
    assert response.status_code == 302
    published_tender.refresh_from_db()
    assert timezone.localtime(published_tender.deadline).strftime("%H:%M") == "23:59"
    response = client.post(url, {"new_date_day": "1", "new_date_month": "1",
                                 "new_date_year": "2020", "new_time": "10:00", "reason": "x"})
    assert re.search(r"must be later than the current deadline", response.content.decode())


def test_incident_pages_are_for_platform_admins_only(client, commissioner, published_tender):
    client.force_login(commissioner)
    assert client.get(reverse("commissioning:incident_tenders")).status_code == 403
    assert client.get(reverse("commissioning:tender_incident",
                              args=[published_tender.pk])).status_code == 403
