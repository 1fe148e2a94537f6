"""Clarification questions in a round of a staged procedure: asked only by the suppliers taking
part in it and only until its deadline; answered to those suppliers alone, never publicly."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from commissioning.selectors.stages import NOT_SHORTLISTED
from commissioning.services import clarifications as services
from core.models import AuditEntry, Notification
from tests.commissioning import stages_support as support

pytestmark = pytest.mark.django_db


@pytest.fixture
def staged(authority, commissioner):
    return support.with_requests(support.designed(authority, commissioner), count=4)


def ask(writer, round_tender, organisation, text="May a consortium request to participate?"):
    return services.clarification_ask(actor=writer, tender=round_tender,
                                      organisation=organisation, question=text)


def answer(staged, clarification, text="Yes, naming the lead member."):
    with mock.patch("commissioning.services.clarifications.release_publish") as publish:
        services.clarification_answer(actor=staged.commissioner, clarification=clarification,
                                      answer=text)
    publish.assert_not_called()  # a round is never public: no OCDS release


def told() -> set[int]:
    return set(Notification.objects.filter(subject__startswith="Clarification published")
               .values_list("recipient_id", flat=True))


class TestParticipationStage:
    def test_anyone_may_ask_while_it_is_open_and_the_answer_goes_to_its_suppliers_only(
            self, staged):
        newcomer, newcomer_writer = support.supplier("Newcomer CIC")
        _, bystander_writer = support.supplier("Bystander Ltd")
        asked = ask(newcomer_writer, staged.participation.round, newcomer)
        assert AuditEntry.objects.filter(action="clarification.asked").exists()
        answer(staged, asked)
        assert told() == {newcomer_writer.pk} | {writer.pk for _, writer in staged.suppliers}
        assert bystander_writer.pk not in told()
        notice = Notification.objects.filter(subject__startswith="Clarification published").first()
        assert notice.url == reverse("commissioning:supplier_round",
                                     args=[staged.participation.pk]) + "#clarifications"
        assert AuditEntry.objects.filter(action="clarification.answered").exists()

    def test_a_question_after_the_deadline_is_refused_with_a_clear_message(self, staged):
        organisation, writer = staged.suppliers[0]
        support.close(staged.participation.round)
        with pytest.raises(ValidationError, match="questions about it are closed"):
            ask(writer, staged.participation.round, organisation)

    def test_after_the_deadline_a_supplier_that_never_took_part_is_refused(self, staged):
        bystander, writer = support.supplier("Bystander Ltd")
        support.close(staged.participation.round)
        with pytest.raises(PermissionDenied):
            ask(writer, staged.participation.round, bystander)

    def test_the_answer_is_not_on_any_public_page(self, staged):
        organisation, writer = staged.suppliers[0]
        answer(staged, ask(writer, staged.participation.round, organisation,
                           text="Is the insurance level per claim?"))
        round_tender = staged.participation.round
        assert Client().get(reverse("commissioning:tender_detail",
                                    args=[round_tender.pk])).status_code == 404
        public = Client().get(reverse("commissioning:tender_detail", args=[staged.tender.pk]))
        assert "Is the insurance level per claim?" not in public.content.decode()


class TestNegotiationRound:
    @pytest.fixture
    def stage(self, staged):
        support.shortlisted(staged)
        return support.negotiation(staged)

    def test_a_supplier_not_shortlisted_may_not_ask(self, staged, stage):
        left_out, writer = staged.suppliers[3]
        with pytest.raises(PermissionDenied, match=NOT_SHORTLISTED):
            ask(writer, stage.round, left_out)

    def test_a_shortlisted_supplier_asks_and_only_the_shortlist_is_told(self, staged, stage):
        organisation, writer = staged.suppliers[0]
        answer(staged, ask(writer, stage.round, organisation, text="Is TUPE likely?"))
        assert told() == {writer.pk for _, writer in staged.suppliers[:3]}

    def test_after_the_round_deadline_questions_are_closed(self, staged, stage):
        organisation, writer = staged.suppliers[0]
        support.close(stage.round)
        with pytest.raises(ValidationError, match="questions about it are closed"):
            ask(writer, stage.round, organisation)


class TestPages:
    def test_a_shortlisted_supplier_asks_from_the_round_page_and_reads_the_answer(
            self, staged):
        support.shortlisted(staged)
        stage = support.negotiation(staged)
        organisation, writer = staged.suppliers[0]
        client = Client()
        client.force_login(writer)
        listing = client.get(reverse("commissioning:supplier_procedures")).content.decode()
        assert reverse("commissioning:supplier_round", args=[stage.pk]) in listing
        ask_url = reverse("commissioning:supplier_round_ask", args=[stage.pk])
        assert client.post(ask_url, {"question": ""}).status_code == 200  # the form again
        response = client.post(ask_url, {"question": "Can we visit the site?"})
        assert response.status_code == 302
        asked = stage.round.clarifications.get()
        answer(staged, asked, text="Yes, on 3 March.")
        page = client.get(reverse("commissioning:supplier_round", args=[stage.pk]))
        assert "Can we visit the site?" in page.content.decode()
        assert "Yes, on 3 March." in page.content.decode()

    def test_after_the_deadline_the_ask_page_says_questions_are_closed(self, staged):
        organisation, writer = staged.suppliers[0]
        support.close(staged.participation.round)
        client = Client()
        client.force_login(writer)
        url = reverse("commissioning:supplier_round_ask", args=[staged.participation.pk])
        body = client.get(url).content.decode()
        assert "questions about it are closed" in body
        assert client.post(url, {"question": "Late?"}).status_code == 200
        assert not staged.participation.round.clarifications.exists()

    def test_the_commissioner_answers_from_the_stage_pages(self, staged):
        organisation, writer = staged.suppliers[0]
        asked = ask(writer, staged.participation.round, organisation)
        client = Client()
        client.force_login(staged.commissioner)
        overview = client.get(reverse("commissioning:procedure_overview",
                                      args=[staged.tender.pk])).content.decode()
        admin_list = reverse("commissioning:clarification_admin_list",
                             args=[staged.participation.round_id])
        assert admin_list in overview
        assert organisation.name in client.get(admin_list).content.decode()
        with mock.patch("commissioning.services.clarifications.release_publish") as publish:
            response = client.post(
                reverse("commissioning:clarification_answer",
                        args=[staged.participation.round_id, asked.pk]),
                {"question": asked.question, "answer": "Yes."})
        assert response.status_code == 302
        publish.assert_not_called()
        asked.refresh_from_db()
        assert asked.answer == "Yes."
