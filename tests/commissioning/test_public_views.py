"""Public tender pages: anyone can find and read published tenders, never drafts."""

import datetime
import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.models import SupplierInterest, Tender
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf
from tests.conftest import clear_cache

pytestmark = pytest.mark.django_db
LIST = reverse("commissioning:tender_list")


RESULT_TITLE = re.compile(
    r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="[^"]*">([^<]*)</a>')


def titles(response) -> list[str]:
    """The titles the list shows, read from the page as a visitor sees it."""
    assert response.status_code == 200
    return [html.unescape(title) for title in RESULT_TITLE.findall(response.content.decode())]


class TestList:
    def test_drafts_are_never_listed(self, client, authority):
        cf.TenderFactory(authority=authority, title="Open one")
        cf.DraftTenderFactory(authority=authority, title="Secret draft")
        response = client.get(LIST)
        assert response.status_code == 200
        assert titles(response) == ["Open one"]
        assert b"Secret draft" not in response.content

    def test_empty_state(self, client):
        response = client.get(LIST, {"q": "nothing"})
        assert b"No tenders match these filters" in response.content

    def test_search_title_summary_and_description(self, client):
        cf.TenderFactory(title="Dementia day care", summary="x", description="y")
        cf.TenderFactory(title="Parks", summary="Grounds maintenance", description="trees")
        cf.TenderFactory(title="Roads", summary="x", description="Winter gritting routes")
        assert titles(client.get(LIST, {"q": "dementia"})) == ["Dementia day care"]
        assert titles(client.get(LIST, {"q": "grounds"})) == ["Parks"]
        assert titles(client.get(LIST, {"q": "gritting"})) == ["Roads"]

    def test_cpv_prefix(self, client):
        care = cf.TenderFactory(title="Care")
        cf.TenderCpvFactory(tender=care, code="85311000-2")
        cf.TenderCpvFactory(tender=care, code="85312000-9", is_main=False)
        works = cf.TenderFactory(title="Works")
        cf.TenderCpvFactory(tender=works, code="45000000-7")
        assert titles(client.get(LIST, {"cpv": "8531"})) == ["Care"]
        assert titles(client.get(LIST, {"cpv": "45000000-7"})) == ["Works"]

    def test_value_band(self, client):
        cf.TenderFactory(title="Small", estimated_value_ex_vat=Decimal("20000"),
                         estimated_value_inc_vat=Decimal("24000"))
        cf.TenderFactory(title="Large", estimated_value_ex_vat=Decimal("900000"),
                         estimated_value_inc_vat=Decimal("1080000"))
        assert titles(client.get(LIST, {"value": "under_notifiable"})) == ["Small"]
        assert titles(client.get(LIST, {"value": "to_works"})) == ["Large"]

    def test_status_open_and_closed(self, client):
        cf.TenderFactory(title="Open")
        cf.TenderFactory(title="Past deadline", deadline=timezone.now() - timedelta(hours=1))
        cf.TenderFactory(title="Awarded", status=Tender.Status.CONTRACTED)
        assert titles(client.get(LIST, {"status": "open"})) == ["Open"]
        assert sorted(titles(client.get(LIST, {"status": "closed"}))) == ["Awarded",
                                                                          "Past deadline"]

    def test_authority_procedure_and_suitability(self, client, authority):
        cf.TenderFactory(authority=authority, title="Ours", suitable_for_vcse=True,
                         procedure=Tender.Procedure.COMPETITIVE_FLEXIBLE)
        cf.TenderFactory(title="Theirs", suitable_for_vcse=False, suitable_for_sme=False)
        cf.TenderFactory(title="Mutuals", is_reserved_for_mutuals=True, suitable_for_vcse=False)
        assert titles(client.get(LIST, {"authority": authority.pk})) == ["Ours"]
        assert titles(client.get(LIST, {"procedure": "competitive_flexible"})) == ["Ours"]
        assert titles(client.get(LIST, {"suitable": "vcse"})) == ["Ours"]
        assert titles(client.get(LIST, {"suitable": "mutuals"})) == ["Mutuals"]

    def test_closing_date_range(self, client):
        now = timezone.localtime()
        cf.TenderFactory(title="Soon", deadline=now + timedelta(days=3))
        cf.TenderFactory(title="Later", deadline=now + timedelta(days=40))
        cutoff = (now + timedelta(days=10)).date()
        parts = {"day": cutoff.day, "month": cutoff.month, "year": cutoff.year}
        before = {f"closing_to_{k}": v for k, v in parts.items()}
        after = {f"closing_from_{k}": v for k, v in parts.items()}
        assert titles(client.get(LIST, before)) == ["Soon"]
        assert titles(client.get(LIST, after)) == ["Later"]

    def test_invalid_date_shows_an_error_next_to_the_field(self, client):
        response = client.get(LIST, {"closing_to_day": "31", "closing_to_month": "2",
                                     "closing_to_year": "2027"})
        assert "must be a real date" in response.content.decode()

    def test_constant_queries_whatever_the_number_of_tenders(self, client):
        def count_queries() -> int:
            clear_cache()  # measure the page as first rendered, not its cached filter form
            with CaptureQueriesContext(connection) as queries:
                assert client.get(LIST).status_code == 200
            return len(queries)

        tender = cf.TenderFactory()
        cf.TenderCpvFactory(tender=tender)
        one = count_queries()
        for _ in range(29):
            cf.TenderCpvFactory(tender=cf.TenderFactory(authority=factories.AuthorityFactory()))
        assert count_queries() == one

    def test_paginated(self, client):
        for _ in range(25):
            cf.TenderFactory()
        assert len(titles(client.get(LIST, {"page": 2}))) == 5


class TestDetail:
    def test_anonymous_reads_a_published_tender(self, client, published_tender):
        lot = cf.LotFactory(tender=published_tender, title="North locality")
        response = client.get(reverse("commissioning:tender_detail", args=[published_tender.pk]))
        body = response.content.decode()
        assert response.status_code == 200
        assert published_tender.title in body and lot.title in body
        assert "85310000-5" in body
        assert "Sign in" in body

    def test_drafts_are_404_to_the_public_and_other_authorities(self, client, draft_tender,
                                                                 other_commissioner,
                                                                 commissioner):
        url = reverse("commissioning:tender_detail", args=[draft_tender.pk])
        assert client.get(url).status_code == 404
        client.force_login(other_commissioner)
        assert client.get(url).status_code == 404
        client.force_login(commissioner)
        assert client.get(url).status_code == 200

    def test_deadline_shown_in_london_time(self, client, published_tender):
        Tender.objects.filter(pk=published_tender.pk).update(
            deadline=datetime.datetime(2031, 7, 1, 11, 0, tzinfo=datetime.UTC))
        response = client.get(reverse("commissioning:tender_detail", args=[published_tender.pk]))
        assert "1 July 2031 at midday" in response.content.decode()

    def test_answered_clarifications_never_name_the_asker(self, client, published_tender):
        asker = factories.OrganisationFactory(name="Secretive Bidders Ltd")
        cf.ClarificationFactory(tender=published_tender, asked_by_organisation=asker,
                                question="Is TUPE likely?", answer="Yes, for 12 staff.",
                                answered_at=timezone.now())
        cf.ClarificationFactory(tender=published_tender, question="Unanswered question?")
        body = client.get(reverse("commissioning:tender_detail",
                                  args=[published_tender.pk])).content.decode()
        assert "Is TUPE likely?" in body and "Yes, for 12 staff." in body
        assert "Secretive Bidders" not in body
        assert "Unanswered question?" not in body

    def test_start_a_bid_and_register_interest_for_provider_members(self, client,
                                                                     published_tender,
                                                                     bid_writer):
        client.force_login(bid_writer)
        body = client.get(reverse("commissioning:tender_detail",
                                  args=[published_tender.pk])).content.decode()
        assert "Register interest" in body
        try:
            bid_url = reverse("commissioning:bid_start", args=[published_tender.pk])
        except Exception:  # the bids screens may not be mounted
            bid_url = None
        if bid_url:
            assert bid_url in body

    def test_no_bid_button_once_closed(self, client, bid_writer):
        tender = cf.TenderFactory(deadline=timezone.now() - timedelta(minutes=1))
        client.force_login(bid_writer)
        body = client.get(reverse("commissioning:tender_detail", args=[tender.pk])).content
        assert b"Register interest" not in body and b"Start a bid" not in body
        assert b"not open for bids" in body


class TestDocuments:
    def test_published_documents_download_for_anyone(self, client, published_tender):
        document = cf.TenderDocumentFactory(tender=published_tender)
        response = client.get(reverse("commissioning:tender_document",
                                      args=[published_tender.pk, document.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")

    def test_withdrawn_and_draft_documents_are_404(self, client, published_tender, draft_tender):
        withdrawn = cf.TenderDocumentFactory(tender=published_tender,
                                             withdrawn_at=timezone.now())
        draft_doc = cf.TenderDocumentFactory(tender=draft_tender, published_at=None)
        for tender, doc in ((published_tender, withdrawn), (draft_tender, draft_doc)):
            url = reverse("commissioning:tender_document", args=[tender.pk, doc.pk])
            assert client.get(url).status_code == 404

    def test_a_document_of_another_tender_is_404(self, client, published_tender):
        other = cf.TenderDocumentFactory()
        url = reverse("commissioning:tender_document", args=[published_tender.pk, other.pk])
        assert client.get(url).status_code == 404


class TestInterest:
    def test_provider_member_registers_interest_once(self, client, published_tender,
                                                     bid_writer, provider):
        client.force_login(bid_writer)
        url = reverse("commissioning:tender_register_interest", args=[published_tender.pk])
        assert client.post(url).status_code == 302
        client.post(url)
        assert SupplierInterest.objects.filter(tender=published_tender,
                                               organisation=provider).count() == 1

    def test_unverified_providers_and_citizens_cannot(self, client, published_tender, citizen):
        pending = factories.OrganisationFactory(verification_status="pending")
        person = factories.member(pending, Role.PROVIDER_ADMIN)
        url = reverse("commissioning:tender_register_interest", args=[published_tender.pk])
        for user in (person, citizen):
            client.force_login(user)
            assert client.post(url).status_code == 403
        assert not SupplierInterest.objects.exists()


class TestFeed:
    def test_atom_feed_lists_published_tenders_only(self, client, published_tender,
                                                    draft_tender):
        response = client.get(reverse("commissioning:tender_feed"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        body = response.content.decode()
        assert published_tender.title in body and draft_tender.title not in body
        assert published_tender.ocid in body


class TestPortalIntegration:
    def test_open_tenders_on_the_home_page(self, client, published_tender):
        closed = cf.TenderFactory(title="Closed already",
                                  deadline=timezone.now() - timedelta(days=1))
        body = client.get(reverse("core:home")).content.decode()
        assert published_tender.title in body and closed.title not in body

    def test_navigation(self, client, commissioner):
        body = client.get(LIST).content.decode()
        assert 'href="/tenders/"' in body and 'href="/pipeline/"' in body
        assert 'href="/commissioning/tenders/"' not in body
        client.force_login(commissioner)
        assert 'href="/commissioning/tenders/"' in client.get(LIST).content.decode()


def test_an_abandoned_draft_never_becomes_public(client, commissioner, draft_tender):
    from commissioning.services.tenders import tender_cancel

    tender_cancel(actor=commissioner, tender=draft_tender, reason="Started by mistake")
    assert draft_tender.title not in client.get(LIST).content.decode()
    detail = reverse("commissioning:tender_detail", args=[draft_tender.pk])
    assert client.get(detail).status_code == 404
