"""Clarification questions: asked by verified suppliers before the questions deadline,
answered once to everyone, never naming who asked."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Clarification, SupplierInterest, Tender
from commissioning.services import clarifications as services
from core.models import AuditEntry, Notification
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def release():
    with mock.patch("commissioning.services.clarifications.release_publish") as publish:
        yield publish


def ask(user, tender, organisation, text="Is TUPE likely to apply?"):
    return services.clarification_ask(actor=user, tender=tender, organisation=organisation,
                                      question=text)


class TestAsk:
    def test_supplier_asks_and_the_authority_is_told(self, published_tender, bid_writer,
                                                     provider, commissioner, authority_admin):
        clarification = ask(bid_writer, published_tender, provider)
        assert clarification.asked_by_organisation == provider
        told = set(Notification.objects.filter(subject__contains="clarification question")
                   .values_list("recipient_id", flat=True))
        assert told == {commissioner.pk, authority_admin.pk}
        assert SupplierInterest.objects.filter(tender=published_tender,
                                               organisation=provider).exists()
        assert AuditEntry.objects.filter(action="clarification.asked").exists()

    def test_after_the_questions_deadline_is_refused(self, published_tender, bid_writer,
                                                     provider):
        Tender.objects.filter(pk=published_tender.pk).update(
            questions_deadline=timezone.now() - timedelta(minutes=1))
        published_tender.refresh_from_db()
        with pytest.raises(PermissionDenied):
            ask(bid_writer, published_tender, provider)

    def test_only_verified_providers_members(self, published_tender, citizen, commissioner,
                                             authority):
        pending = factories.OrganisationFactory(verification_status="pending")
        unverified = factories.member(pending, Role.PROVIDER_ADMIN)
        for user, organisation in ((citizen, None), (commissioner, authority),
                                   (unverified, pending)):
            with pytest.raises(PermissionDenied):
                ask(user, published_tender, organisation)

    def test_cannot_ask_for_an_organisation_you_do_not_belong_to(self, published_tender,
                                                                 bid_writer):
        with pytest.raises(PermissionDenied):
            ask(bid_writer, published_tender, factories.OrganisationFactory())

    def test_drafts_cannot_be_asked_about(self, draft_tender, bid_writer, provider):
        with pytest.raises(PermissionDenied):
            ask(bid_writer, draft_tender, provider)


class TestAnswer:
    def test_answer_goes_to_every_interested_supplier_and_bidder_anonymously(
            self, published_tender, bid_writer, provider, commissioner, release):
        asked = ask(bid_writer, published_tender, provider)
        follower = factories.OrganisationFactory(name="Follower CIC")
        follower_admin = factories.member(follower, Role.PROVIDER_ADMIN)
        cf.SupplierInterestFactory(tender=published_tender, organisation=follower)
        bidder = factories.OrganisationFactory()
        bidder_writer = factories.member(bidder, Role.BID_WRITER)
        cf.BidFactory(tender=published_tender, organisation=bidder)
        outsider = factories.member(factories.OrganisationFactory(), Role.BID_WRITER)

        services.clarification_answer(actor=commissioner, clarification=asked,
                                      answer="Yes, for 12 staff.",
                                      question="Will TUPE apply?")
        answers = Notification.objects.filter(subject__contains="Clarification published")
        recipients = set(answers.values_list("recipient_id", flat=True))
        assert recipients == {bid_writer.pk, follower_admin.pk, bidder_writer.pk}
        assert outsider.pk not in recipients
        for notification in answers:
            assert provider.name not in notification.body
            assert "Will TUPE apply?" in notification.body
        release.assert_called_once_with(tender=mock.ANY, tags=["tenderUpdate"])

    def test_answer_once_only_and_not_empty(self, published_tender, bid_writer, provider,
                                            commissioner):
        asked = ask(bid_writer, published_tender, provider)
        with pytest.raises(ValidationError):
            services.clarification_answer(actor=commissioner, clarification=asked, answer=" ")
        services.clarification_answer(actor=commissioner, clarification=asked, answer="Yes")
        with pytest.raises(ValidationError, match="already been answered"):
            services.clarification_answer(actor=commissioner, clarification=asked, answer="No")

    def test_other_authorities_and_evaluators_cannot_answer(self, published_tender, bid_writer,
                                                            provider, other_commissioner,
                                                            evaluator):
        asked = ask(bid_writer, published_tender, provider)
        for user in (other_commissioner, evaluator):
            with pytest.raises(PermissionDenied):
                services.clarification_answer(actor=user, clarification=asked, answer="x")


class TestViews:
    def test_ask_through_the_page(self, client, published_tender, bid_writer):
        client.force_login(bid_writer)
        page = reverse("commissioning:clarification_ask", args=[published_tender.pk])
        response = client.post(page, {"question": ""})
        assert "Enter your question" in response.content.decode()
        response = client.post(page, {"question": "Can we bid as a consortium?"})
        assert response.url == reverse("commissioning:clarification_asked",
                                       args=[published_tender.pk])
        assert Clarification.objects.get().question == "Can we bid as a consortium?"

    def test_ask_page_refused_after_questions_deadline(self, client, bid_writer):
        tender = cf.TenderFactory(questions_deadline=timezone.now() - timedelta(hours=1))
        client.force_login(bid_writer)
        page = reverse("commissioning:clarification_ask", args=[tender.pk])
        assert client.get(page).status_code == 403

    def test_commissioner_sees_asker_and_answers(self, client, published_tender, bid_writer,
                                                 provider, commissioner):
        asked = ask(bid_writer, published_tender, provider)
        client.force_login(commissioner)
        listing = client.get(reverse("commissioning:clarification_admin_list",
                                     args=[published_tender.pk])).content.decode()
        assert provider.name in listing and "Not answered" in listing
        page = reverse("commissioning:clarification_answer", args=[published_tender.pk,
                                                                   asked.pk])
        response = client.post(page, {"question": asked.question, "answer": "Yes."})
        assert response.status_code == 302
        asked.refresh_from_db()
        assert asked.answered_at is not None

    def test_suppliers_cannot_see_the_authority_list(self, client, published_tender,
                                                     bid_writer):
        client.force_login(bid_writer)
        page = reverse("commissioning:clarification_admin_list", args=[published_tender.pk])
        assert client.get(page).status_code == 403
