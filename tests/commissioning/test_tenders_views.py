"""The commissioner's tender screens, end to end through the views."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.models import ConflictsAssessment, Tender
from core.calendar import LONDON
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(name, *args):
    return reverse(f"commissioning:{name}", args=args)


def form_post(**overrides):
    data = {
        "title": "Home from hospital", "reference": "ASC-9", "summary": "Support at home.",
        "description": "Details", "procedure": "open", "contract_type": "services",
        "estimated_value_ex_vat": "100000", "estimated_value_inc_vat": "120000",
        "max_term_months": "36", "suitable_for_vcse": "on",
    }
    return {**data, **overrides}


def datetime_fields(name, moment):
    local = moment.astimezone(LONDON)
    return {f"{name}_date_day": local.day, f"{name}_date_month": local.month,
            f"{name}_date_year": local.year, f"{name}_time": f"{local:%H:%M}"}


@pytest.fixture
def signed_in(client, commissioner):
    client.force_login(commissioner)
    return client


class TestCreateAndEdit:
    def test_create_from_a_project(self, signed_in, project):
        response = signed_in.get(url("tender_create") + f"?project={project.pk}")
        assert project.title in response.content.decode()
        response = signed_in.post(url("tender_create") + f"?project={project.pk}", form_post())
        tender = Tender.objects.get(reference="ASC-9")
        assert response.url == url("tender_manage", tender.pk)
        assert tender.project == project and tender.status == "draft"

    def test_errors_next_to_fields_keep_what_was_typed(self, signed_in):
        response = signed_in.post(url("tender_create"), form_post(
            is_reserved_for_mutuals="on", estimated_value_inc_vat="90000",
            description="My careful words"))
        body = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in body
        assert "competitive flexible procedure" in body
        assert "including VAT must be the same as or more" in body
        assert "My careful words" in body
        assert not Tender.objects.exists()

    def test_citizens_and_providers_cannot_create(self, client, citizen, bid_writer):
        for user in (citizen, bid_writer):
            client.force_login(user)
            assert client.get(url("tender_create")).status_code == 403

    def test_published_tenders_cannot_be_edited(self, signed_in, published_tender):
        response = signed_in.post(url("tender_edit", published_tender.pk), form_post())
        assert "can no longer be changed" in response.content.decode()


class TestAdminList:
    def test_only_own_authority_tenders(self, signed_in, authority, other_authority):
        cf.DraftTenderFactory(authority=authority, title="Ours")
        cf.TenderFactory(authority=other_authority, title="Theirs")
        response = signed_in.get(url("tender_admin_list"))
        assert [t.title for t in response.context["page_obj"]] == ["Ours"]

    def test_constant_queries(self, signed_in, authority):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert signed_in.get(url("tender_admin_list")).status_code == 200
            return len(queries)

        cf.DraftTenderFactory(authority=authority)
        count()  # the first request of a session does one-off work (session, MFA state)
        one = count()
        for _ in range(15):
            cf.TenderFactory(authority=authority)
        assert count() == one

    def test_filter_by_status(self, signed_in, authority):
        cf.DraftTenderFactory(authority=authority, title="Draft")
        cf.TenderFactory(authority=authority, title="Live")
        response = signed_in.get(url("tender_admin_list"), {"status": "published"})
        assert [t.title for t in response.context["page_obj"]] == ["Live"]


class TestPreparation:
    def test_timeline_minimum_shows_warning(self, signed_in, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        now = timezone.now()
        data = {**datetime_fields("questions_deadline", now + timedelta(days=10)),
                **datetime_fields("deadline", now + timedelta(days=25, minutes=5))}
        response = signed_in.post(url("tender_timeline", tender.pk), data, follow=True)
        body = response.content.decode()
        assert "Timeline saved" in body and "section 54(1)" in body

    def test_timeline_error_next_to_the_deadline(self, signed_in, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        now = timezone.now()
        data = {**datetime_fields("questions_deadline", now + timedelta(days=3)),
                **datetime_fields("deadline", now + timedelta(days=8))}
        response = signed_in.post(url("tender_timeline", tender.pk), data)
        assert response.status_code == 200
        assert response.context["form"].errors["deadline_date"]

    def test_timeline_bad_time(self, signed_in, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        data = datetime_fields("questions_deadline", timezone.now() + timedelta(days=10))
        data.update(datetime_fields("deadline", timezone.now() + timedelta(days=30)))
        data["deadline_time"] = "25 o'clock"
        response = signed_in.post(url("tender_timeline", tender.pk), data)
        assert "like 12pm or 14:30" in response.content.decode()

    def test_lots_cpv_questions_slots_conflicts(self, signed_in, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        signed_in.post(url("lot_add", tender.pk), {"title": "North", "description": "",
                                                   "estimated_value_ex_vat": "50000"})
        lot = tender.lots.get()
        signed_in.post(url("lot_edit", tender.pk, lot.pk), {"title": "North and East"})
        lot.refresh_from_db()
        assert lot.title == "North and East" and lot.estimated_value_ex_vat is None
        signed_in.post(url("tender_cpv", tender.pk), {"codes": "85310000-5\n85311000-2",
                                                      "main": "85310000-5"})
        assert tender.cpv_codes.count() == 2
        signed_in.post(url("question_add", tender.pk), {"text": "How will you recruit?",
                                                        "word_limit": "500"})
        signed_in.post(url("slot_add", tender.pk), {"name": "Method statement",
                                                    "required": "on"})
        signed_in.post(url("tender_conflicts", tender.pk), {"summary": "None found."})
        assert tender.questions.count() == 1 and tender.document_slots.count() == 1
        assert ConflictsAssessment.objects.get(tender=tender).version == 1
        signed_in.post(url("lot_remove", tender.pk, lot.pk))
        assert not tender.lots.exists()
        response = signed_in.get(url("tender_manage", tender.pk))
        assert response.status_code == 200

    def test_cpv_error_keeps_input(self, signed_in, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        response = signed_in.post(url("tender_cpv", tender.pk), {"codes": "8531", "main": "x"})
        body = response.content.decode()
        assert "is not a CPV code" in body and "8531" in body

    def test_upload_a_document(self, signed_in, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        response = signed_in.post(url("tender_documents", tender.pk), {
            "title": "Specification", "file": SimpleUploadedFile("spec.pdf", PDF)})
        assert response.status_code == 302
        assert tender.documents.get().published_at is None

    def test_late_document_change_without_new_deadline_shows_error(self, signed_in,
                                                                   published_tender):
        Tender.objects.filter(pk=published_tender.pk).update(
            deadline=timezone.now() + timedelta(days=2))
        response = signed_in.post(url("tender_documents", published_tender.pk), {
            "title": "Addendum", "file": SimpleUploadedFile("a.pdf", PDF)})
        assert response.status_code == 200
        assert "at least 6 days" in str(response.context["form"].errors["new_deadline_date"])


class TestPublishScreens:
    def test_review_lists_problems(self, signed_in, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        body = signed_in.get(url("tender_publish", tender.pk)).content.decode()
        assert "You cannot publish this tender yet" in body
        assert "conflicts assessment" in body
        assert "Publish tender" not in body

    def test_publish_and_confirmation(self, signed_in, draft_tender):
        response = signed_in.post(url("tender_publish", draft_tender.pk))
        assert response.url == url("tender_published", draft_tender.pk)
        body = signed_in.get(response.url).content.decode()
        assert "Tender published" in body
        draft_tender.refresh_from_db()
        assert draft_tender.status == "published"

    def test_cancel_screen(self, signed_in, published_tender):
        response = signed_in.post(url("tender_cancel", published_tender.pk), {"reason": ""})
        assert "Enter the reason" in response.content.decode()
        signed_in.post(url("tender_cancel", published_tender.pk), {"reason": "Budget withdrawn"})
        published_tender.refresh_from_db()
        assert published_tender.status == "cancelled"

    def test_extend_screen(self, signed_in, published_tender):
        new = published_tender.deadline + timedelta(days=5)
        signed_in.post(url("tender_extend_deadline", published_tender.pk),
                       {**datetime_fields("new_deadline", new), "reason": "Holidays"})
        published_tender.refresh_from_db()
        assert abs(published_tender.deadline - new) < timedelta(minutes=1)

    def test_dashboard_panel_counts(self, signed_in, authority):
        cf.DraftTenderFactory(authority=authority)
        cf.TenderFactory(authority=authority)
        body = signed_in.get(reverse("core:dashboard")).content.decode()
        assert "Draft: 1" in body and "Open for bids: 1" in body


def test_price_is_decimal_never_float(signed_in):
    signed_in.post(url("tender_create"), form_post(estimated_value_ex_vat="100000.10",
                                                   estimated_value_inc_vat="120000.12"))
    tender = Tender.objects.get()
    assert tender.estimated_value_inc_vat == Decimal("120000.12")
