"""Pipeline and co-design: projects, market engagement, responses and citizens' comments."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.models import CitizenComment, MarketResponse, Project
from commissioning.services import pipeline as services
from core.models import AuditEntry, Notification
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db


def project_data(**overrides):
    data = {"title": "Stay well at home", "need": "People wait too long for care.",
            "outcomes": "People get help within a week.", "budget": Decimal("300000"),
            "starts_on": None, "ends_on": None, "is_public": False}
    return {**data, **overrides}


class TestProjects:
    def test_commissioner_creates_then_opens_engagement(self, commissioner, authority):
        project = services.project_create(actor=commissioner, authority=authority,
                                          data=project_data())
        assert project.status == Project.Status.DRAFT and not project.is_public
        services.project_start_engagement(actor=commissioner, project=project)
        assert project.status == Project.Status.ENGAGEMENT and project.is_public
        assert AuditEntry.objects.filter(action="project.engagement_started").exists()

    def test_end_before_start_is_refused(self, commissioner, authority):
        with pytest.raises(ValidationError) as excinfo:
            services.project_create(actor=commissioner, authority=authority, data=project_data(
                starts_on=timezone.localdate(), ends_on=timezone.localdate() - timedelta(1)))
        assert "ends_on" in excinfo.value.message_dict

    def test_other_authorities_cannot_manage(self, project, other_commissioner):
        with pytest.raises(PermissionDenied):
            services.project_update(actor=other_commissioner, project=project,
                                    data=project_data())

    def test_events_and_questions_must_be_in_the_future(self, commissioner, project):
        with pytest.raises(ValidationError):
            services.engagement_event_add(actor=commissioner, project=project, data={
                "title": "Workshop", "location": "Online",
                "starts_at": timezone.now() - timedelta(days=1)})
        with pytest.raises(ValidationError):
            services.market_question_add(actor=commissioner, project=project, text="Q?",
                                         closes_at=timezone.now() - timedelta(days=1))


class TestMarketResponses:
    def test_one_response_per_organisation_editable_until_close(self, project, provider,
                                                               provider_admin, bid_writer):
        question = cf.MarketQuestionFactory(project=project)
        services.market_response_save(actor=provider_admin, question=question,
                                      organisation=provider, text="First thoughts")
        services.market_response_save(actor=bid_writer, question=question,
                                      organisation=provider, text="Better thoughts")
        response = MarketResponse.objects.get()
        assert response.text == "Better thoughts" and response.author == bid_writer
        assert Notification.objects.filter(recipient=project.created_by).count() == 1

    def test_closed_questions_refuse_responses(self, project, provider, provider_admin):
        question = cf.MarketQuestionFactory(project=project,
                                            closes_at=timezone.now() - timedelta(minutes=1))
        with pytest.raises(PermissionDenied):
            services.market_response_save(actor=provider_admin, question=question,
                                          organisation=provider, text="Late")

    def test_unverified_organisations_and_citizens_cannot_respond(self, project, citizen):
        question = cf.MarketQuestionFactory(project=project)
        pending = factories.OrganisationFactory(verification_status="pending")
        for user, organisation in ((factories.member(pending, Role.PROVIDER_ADMIN), pending),
                                   (citizen, None)):
            with pytest.raises(PermissionDenied):
                services.market_response_save(actor=user, question=question,
                                              organisation=organisation, text="Hi")

    def test_responses_are_visible_to_the_authority_only(self, client, project, provider,
                                                        commissioner, bid_writer):
        question = cf.MarketQuestionFactory(project=project)
        cf.MarketResponseFactory(question=question, organisation=provider,
                                 text="Our confidential idea")
        page = reverse("commissioning:project_detail", args=[project.pk])
        assert b"Our confidential idea" not in client.get(page).content
        other = factories.member(factories.OrganisationFactory(), Role.BID_WRITER)
        client.force_login(other)
        assert b"Our confidential idea" not in client.get(page).content
        client.force_login(commissioner)
        assert b"Our confidential idea" in client.get(page).content

    def test_respond_page(self, client, project, bid_writer, provider):
        question = cf.MarketQuestionFactory(project=project)
        client.force_login(bid_writer)
        page = reverse("commissioning:market_respond", args=[question.pk])
        assert client.get(page).status_code == 200
        assert "Enter your organisation" in client.post(page, {"text": ""}).content.decode()
        client.post(page, {"text": "We run lunch clubs"})
        assert MarketResponse.objects.get().organisation == provider


class TestComments:
    def test_citizen_comments_publicly_without_their_name(self, client, project, citizen):
        client.force_login(citizen)
        page = reverse("commissioning:project_detail", args=[project.pk])
        client.post(page, {"text": "Please visit in the evenings too."})
        assert CitizenComment.objects.get().author == citizen
        client.logout()
        body = client.get(page).content.decode()
        assert "Please visit in the evenings too." in body
        assert citizen.full_name not in body

    def test_non_citizens_cannot_comment(self, client, project, bid_writer):
        client.force_login(bid_writer)
        page = reverse("commissioning:project_detail", args=[project.pk])
        assert client.post(page, {"text": "Hello"}).status_code == 403


class TestPublicPipeline:
    def test_drafts_and_private_projects_are_hidden(self, client, authority, commissioner):
        cf.ProjectFactory(authority=authority, title="Public one")
        draft = cf.ProjectFactory(authority=authority, title="Draft one",
                                  status=Project.Status.DRAFT)
        cf.ProjectFactory(authority=authority, title="Private", is_public=False)
        response = client.get(reverse("commissioning:pipeline_list"))
        assert [p.title for p in response.context["page_obj"]] == ["Public one"]
        detail = reverse("commissioning:project_detail", args=[draft.pk])
        assert client.get(detail).status_code == 404
        client.force_login(commissioner)
        assert client.get(detail).status_code == 200

    def test_filter_by_authority_and_stage(self, client, authority):
        cf.ProjectFactory(authority=authority, title="Ours")
        cf.ProjectFactory(title="Theirs", status=Project.Status.PROCUREMENT)
        page = reverse("commissioning:pipeline_list")
        assert [p.title for p in client.get(page, {"authority": authority.pk})
                .context["page_obj"]] == ["Ours"]
        assert [p.title for p in client.get(page, {"status": "procurement"})
                .context["page_obj"]] == ["Theirs"]

    def test_constant_queries(self, client):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                client.get(reverse("commissioning:pipeline_list"))
            return len(queries)

        cf.ProjectFactory()
        one = count()
        for _ in range(20):
            cf.ProjectFactory()
        assert count() == one

    def test_project_page_lists_linked_public_tenders_only(self, client, project):
        cf.TenderFactory(authority=project.authority, project=project, title="Live tender")
        cf.DraftTenderFactory(authority=project.authority, project=project, title="Draft tender")
        body = client.get(reverse("commissioning:project_detail", args=[project.pk])).content
        assert b"Live tender" in body and b"Draft tender" not in body


class TestCommissionerScreens:
    def test_create_project_engage_and_start_a_tender(self, client, commissioner):
        client.force_login(commissioner)
        response = client.post(reverse("commissioning:project_create"), {
            "title": "Carers' breaks", "need": "Carers are exhausted.",
            "outcomes": "Carers get regular breaks.", "budget": "120000"})
        project = Project.objects.get()
        assert response.url == reverse("commissioning:project_detail", args=[project.pk])
        client.post(reverse("commissioning:project_start_engagement", args=[project.pk]))
        project.refresh_from_db()
        assert project.status == Project.Status.ENGAGEMENT
        closes = timezone.localtime() + timedelta(days=14)
        client.post(reverse("commissioning:market_question_add", args=[project.pk]), {
            "text": "What would a good break look like?", "closes_at_date_day": closes.day,
            "closes_at_date_month": closes.month, "closes_at_date_year": closes.year,
            "closes_at_time": "17:00"})
        assert project.questions.count() == 1
        body = client.get(reverse("commissioning:project_detail", args=[project.pk])).content
        assert b"Create a tender from this project" in body

    def test_project_form_errors(self, client, commissioner):
        client.force_login(commissioner)
        response = client.post(reverse("commissioning:project_create"), {"title": "Only"})
        assert "Enter the need" in response.content.decode()
