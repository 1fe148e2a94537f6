"""Tender services: creation rules, s.33 reservation, publication gates, late document changes,
deadline extensions and cancellation."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commissioning.models import DeadlineChange, Project, Tender
from commissioning.services import tender_content, tenders
from commissioning.services.notices import planning_notice_publish
from core.models import AuditEntry, Notification, StatusChange
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def tender_data(**overrides):
    data = {
        "title": "Home from hospital", "reference": "ASC-001", "summary": "Support at home.",
        "description": "", "procedure": Tender.Procedure.OPEN,
        "contract_type": Tender.ContractType.SERVICES,
        "is_reserved_for_mutuals": False, "estimated_value_ex_vat": Decimal("100000"),
        "estimated_value_inc_vat": Decimal("120000"), "max_term_months": 36,
        "max_lots_per_supplier": None, "lot_limit_rule": "", "suitable_for_sme": True,
        "suitable_for_vcse": True,
    }
    return {**data, **overrides}


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.fixture
def release():
    with mock.patch("commissioning.services.tenders.release_publish") as publish:
        yield publish


class TestCreate:
    def test_commissioner_creates_a_draft_from_a_project(self, commissioner, authority, project):
        tender = tenders.tender_create(actor=commissioner, authority=authority,
                                       data=tender_data(), project=project)
        assert tender.status == "draft" and tender.project == project
        project.refresh_from_db()
        assert project.status == Project.Status.PROCUREMENT
        assert AuditEntry.objects.filter(action="tender.created", object_id=str(tender.pk))

    def test_reference_is_unique_per_authority(self, commissioner, authority, other_authority):
        cf.DraftTenderFactory(authority=authority, reference="ASC-001")
        with pytest.raises(ValidationError) as excinfo:
            tenders.tender_create(actor=commissioner, authority=authority, data=tender_data())
        assert "already has a tender" in errors_of(excinfo)["reference"][0]
        cf.DraftTenderFactory(authority=other_authority, reference="ASC-002")
        tenders.tender_create(actor=commissioner, authority=authority,
                              data=tender_data(reference="ASC-002"))

    def test_value_including_vat_cannot_be_less(self, commissioner, authority):
        with pytest.raises(ValidationError) as excinfo:
            tenders.tender_create(actor=commissioner, authority=authority, data=tender_data(
                estimated_value_inc_vat=Decimal("99999.99")))
        assert "estimated_value_inc_vat" in errors_of(excinfo)

    def test_evaluators_and_other_authorities_cannot_create(self, authority, other_commissioner):
        evaluator = factories.with_totp(factories.member(authority, Role.EVALUATOR))
        for person in (evaluator, other_commissioner):
            with pytest.raises(PermissionDenied):
                tenders.tender_create(actor=person, authority=authority, data=tender_data())

    def test_max_lots_needs_the_objective_rule(self, commissioner, authority):
        with pytest.raises(ValidationError) as excinfo:
            tenders.tender_create(actor=commissioner, authority=authority,
                                  data=tender_data(max_lots_per_supplier=2))
        assert "objective rule" in errors_of(excinfo)["lot_limit_rule"][0]


class TestMutualReservation:
    def test_only_under_competitive_flexible_and_5_years(self, commissioner, authority):
        with pytest.raises(ValidationError) as excinfo:
            tenders.tender_create(actor=commissioner, authority=authority, data=tender_data(
                is_reserved_for_mutuals=True, max_term_months=72))
        messages = " ".join(errors_of(excinfo)["is_reserved_for_mutuals"])
        assert "competitive flexible procedure" in messages
        assert "5 years (60 months)" in messages

    def test_allowed_when_the_rules_are_met(self, commissioner, authority):
        tender = tenders.tender_create(actor=commissioner, authority=authority, data=tender_data(
            is_reserved_for_mutuals=True, max_term_months=60,
            procedure=Tender.Procedure.COMPETITIVE_FLEXIBLE))
        assert tender.is_reserved_for_mutuals

    def test_only_for_light_touch_services(self, commissioner, authority):
        from commissioning.services.tender_content import tender_cpv_set

        tender = tenders.tender_create(actor=commissioner, authority=authority, data=tender_data(
            is_reserved_for_mutuals=True, max_term_months=36,
            procedure=Tender.Procedure.COMPETITIVE_FLEXIBLE))
        tender_cpv_set(actor=commissioner, tender=tender, codes=["60130000-8"],
                       main="60130000-8")  # special-purpose road passenger transport
        assert not tender.is_light_touch
        with pytest.raises(ValidationError) as excinfo:
            tenders.tender_update(actor=commissioner, tender=tender, data={"title": "Changed"})
        assert "light-touch" in errors_of(excinfo)["is_reserved_for_mutuals"][0]
        assert "main CPV code" in errors_of(excinfo)["is_reserved_for_mutuals"][0]


class TestCriteriaProblems:
    def test_publication_uses_the_evaluation_rules(self, draft_tender):
        assert tenders.criteria_problems(draft_tender) == []
        draft_tender.criteria.filter(kind="price").update(weight=Decimal("25"))
        assert any("100" in p for p in tenders.criteria_problems(draft_tender))

    def test_social_value_below_the_minimum_blocks_publication(self, draft_tender):
        draft_tender.criteria.filter(kind="social_value").update(weight=Decimal("5"))
        draft_tender.criteria.filter(kind="price").update(weight=Decimal("35"))
        assert any("ocial value" in p for p in tenders.criteria_problems(draft_tender))


class TestPublish:
    def test_publishes_with_threshold_ocid_release_and_workflow(self, commissioner, draft_tender,
                                                                release, settings):
        tender = tenders.tender_publish(actor=commissioner, tender=draft_tender)
        assert tender.status == "published" and tender.published_at
        assert tender.above_threshold is True  # £480,000 inc VAT for services
        assert tender.threshold_applied in (Decimal("214904"), Decimal("207720"))
        assert tender.ocid == f"{settings.OCDS_OCID_PREFIX}-{tender.pk}"
        release.assert_called_once_with(tender=mock.ANY, tags=["tender"], notice=mock.ANY)
        assert StatusChange.objects.filter(object_id=tender.pk, to_status="published").exists()
        assert AuditEntry.objects.filter(action="tender.published").exists()

    def test_below_threshold_value_is_recorded_as_below(self, commissioner, authority, release):
        tender = cf.publishable_tender(authority=authority, created_by=commissioner,
                                       estimated_value_ex_vat=Decimal("50000"),
                                       estimated_value_inc_vat=Decimal("60000"))
        tenders.tender_publish(actor=commissioner, tender=tender)
        tender.refresh_from_db()
        assert tender.above_threshold is False

    @pytest.mark.parametrize(("breakage", "message"), [
        (lambda t: t.conflicts_assessments.all().delete(), "conflicts assessment"),
        (lambda t: t.criteria.filter(kind="price").delete(), "add up to 70%"),
        (lambda t: t.questions.all().delete(), "at least one question or document"),
        (lambda t: t.cpv_codes.all().delete(), "CPV codes"),
        (lambda t: Tender.objects.filter(pk=t.pk).update(
            deadline=timezone.now() + timedelta(days=20)), "at least 25 days"),
    ])
    def test_every_rule_blocks_publication(self, commissioner, draft_tender, release, breakage,
                                           message):
        breakage(draft_tender)
        draft_tender.refresh_from_db()
        with pytest.raises(ValidationError) as excinfo:
            tenders.tender_publish(actor=commissioner, tender=draft_tender)
        assert any(message in m for m in excinfo.value.messages)
        draft_tender.refresh_from_db()
        assert draft_tender.status == "draft"
        release.assert_not_called()

    def test_below_threshold_procedure_refused_above_threshold(self, commissioner, draft_tender,
                                                               release):
        Tender.objects.filter(pk=draft_tender.pk).update(procedure="below_threshold")
        draft_tender.refresh_from_db()
        with pytest.raises(ValidationError, match="open or competitive flexible"):
            tenders.tender_publish(actor=commissioner, tender=draft_tender)

    def test_short_period_with_reason(self, commissioner, draft_tender, release):
        """Above threshold, 12 days is refused without a recorded reason and allowed with one
        (Procurement Act 2023, s.54: 10 days at least with urgency, say)."""
        Tender.objects.filter(pk=draft_tender.pk).update(
            deadline=timezone.now() + timedelta(days=12),
            questions_deadline=timezone.now() + timedelta(days=5), short_period_reason="")
        draft_tender.refresh_from_db()
        with pytest.raises(ValidationError, match="at least 25 days"):
            tenders.tender_publish(actor=commissioner, tender=draft_tender)
        draft_tender.refresh_from_db()
        assert draft_tender.status == "draft"

        Tender.objects.filter(pk=draft_tender.pk).update(
            short_period_reason="A state of urgency: provider failure")
        draft_tender.refresh_from_db()
        tender = tenders.tender_publish(actor=commissioner, tender=draft_tender)
        tender.refresh_from_db()
        assert tender.status == "published" and tender.above_threshold is True
        assert tender.short_period_reason == "A state of urgency: provider failure"
        assert (tender.deadline - tender.published_at) < timedelta(days=25)
        release.assert_called_once_with(tender=mock.ANY, tags=["tender"], notice=mock.ANY)

    def test_market_respondents_are_told(self, commissioner, authority, project, release):
        respondent = factories.OrganisationFactory()
        writer = factories.member(respondent, Role.BID_WRITER)
        cf.MarketResponseFactory(question=cf.MarketQuestionFactory(project=project),
                                 organisation=respondent)
        tender = cf.publishable_tender(authority=authority, created_by=commissioner,
                                       project=project)
        # The market engagement is announced first (Procurement Act 2023 s.17).
        planning_notice_publish(actor=commissioner, notice_type="UK2", project=project)
        tenders.tender_publish(actor=commissioner, tender=tender)
        assert Notification.objects.filter(recipient=writer, subject__contains="New tender")

    def test_only_managers_publish(self, authority, draft_tender, release):
        evaluator = factories.with_totp(factories.member(authority, Role.EVALUATOR))
        with pytest.raises(PermissionDenied):
            tenders.tender_publish(actor=evaluator, tender=draft_tender)


class TestTimeline:
    def test_warning_returned_at_minimum(self, commissioner, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        now = timezone.now()
        check = tenders.tender_set_timeline(
            actor=commissioner, tender=tender, questions_deadline=now + timedelta(days=15),
            deadline=now + timedelta(days=25, minutes=5))
        assert check.ok and "section 54(1)" in check.warnings[0]

    def test_errors_keep_the_tender_unchanged(self, commissioner, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        before = tender.deadline
        with pytest.raises(ValidationError) as excinfo:
            tenders.tender_set_timeline(
                actor=commissioner, tender=tender,
                questions_deadline=timezone.now() + timedelta(days=2),
                deadline=timezone.now() + timedelta(days=5))
        assert "deadline" in errors_of(excinfo)
        tender.refresh_from_db()
        assert tender.deadline == before


def upload(name="addendum.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class TestLateDocumentChanges:
    @pytest.fixture
    def closing_soon(self, published_tender):
        Tender.objects.filter(pk=published_tender.pk).update(
            deadline=timezone.now() + timedelta(days=3))
        published_tender.refresh_from_db()
        return published_tender

    def test_within_6_days_a_new_deadline_is_required(self, commissioner, closing_soon, release):
        with pytest.raises(ValidationError) as excinfo:
            tender_content.tender_document_add(actor=commissioner, tender=closing_soon,
                                               uploaded_file=upload(), title="Addendum")
        assert "at least 6 days" in errors_of(excinfo)["new_deadline"][0]
        assert not closing_soon.documents.exists()

    def test_a_new_deadline_too_soon_is_refused(self, commissioner, closing_soon, release):
        with pytest.raises(ValidationError):
            tender_content.tender_document_add(
                actor=commissioner, tender=closing_soon, uploaded_file=upload(),
                title="Addendum", new_deadline=timezone.now() + timedelta(days=5))

    def test_extension_recorded_and_suppliers_told(self, commissioner, closing_soon, release):
        follower = factories.OrganisationFactory()
        person = factories.member(follower, Role.PROVIDER_ADMIN)
        cf.SupplierInterestFactory(tender=closing_soon, organisation=follower)
        new_deadline = timezone.now() + timedelta(days=7)
        document = tender_content.tender_document_add(
            actor=commissioner, tender=closing_soon, uploaded_file=upload(), title="Addendum",
            new_deadline=new_deadline, reason="Revised pricing schedule")
        assert document.published_at is not None
        change = DeadlineChange.objects.get(tender=closing_soon)
        assert change.kind == DeadlineChange.Kind.DOCUMENT_CHANGE
        assert change.new_deadline == new_deadline
        closing_soon.refresh_from_db()
        assert closing_soon.deadline == new_deadline
        release.assert_called_with(tender=mock.ANY, tags=["tenderUpdate"])
        assert Notification.objects.filter(recipient=person,
                                           subject__contains="documents changed")

    def test_far_from_the_deadline_no_extension_needed(self, commissioner, published_tender,
                                                       release):
        tender_content.tender_document_add(actor=commissioner, tender=published_tender,
                                           uploaded_file=upload(), title="Clarified spec")
        assert not DeadlineChange.objects.exists()
        release.assert_called_with(tender=mock.ANY, tags=["tenderUpdate"])

    def test_withdrawal_follows_the_same_rule(self, commissioner, closing_soon, release):
        document = cf.TenderDocumentFactory(tender=closing_soon)
        with pytest.raises(ValidationError):
            tender_content.tender_document_withdraw(actor=commissioner, tender=closing_soon,
                                                    document=document)
        tender_content.tender_document_withdraw(
            actor=commissioner, tender=closing_soon, document=document,
            new_deadline=timezone.now() + timedelta(days=8), reason="Wrong version")
        document.refresh_from_db()
        assert document.withdrawn_at is not None

    def test_rejects_files_that_are_not_documents(self, commissioner, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        with pytest.raises(ValidationError):
            tender_content.tender_document_add(
                actor=commissioner, tender=tender, title="Script",
                uploaded_file=SimpleUploadedFile("x.pdf", b"<html><script>", "application/pdf"))


class TestDeadlineAndCancel:
    def test_extend_deadline(self, commissioner, published_tender, release):
        new = published_tender.deadline + timedelta(days=7)
        tenders.tender_extend_deadline(actor=commissioner, tender=published_tender,
                                       new_deadline=new, reason="Bank holiday")
        published_tender.refresh_from_db()
        assert published_tender.deadline == new
        assert DeadlineChange.objects.get().kind == DeadlineChange.Kind.OTHER

    def test_cannot_bring_the_deadline_forward(self, commissioner, published_tender, release):
        with pytest.raises(ValidationError):
            tenders.tender_extend_deadline(
                actor=commissioner, tender=published_tender, reason="Hurry",
                new_deadline=published_tender.deadline - timedelta(days=1))

    def test_cancel_published_tender_tells_bidders(self, commissioner, published_tender,
                                                   draft_bid, bid_writer, release):
        tenders.tender_cancel(actor=commissioner, tender=published_tender,
                              reason="The service is no longer needed")
        published_tender.refresh_from_db()
        assert published_tender.status == "cancelled"
        assert published_tender.cancellation_reason == "The service is no longer needed"
        release.assert_called_once_with(tender=mock.ANY, tags=["tenderCancellation"],
                                        notice=mock.ANY)
        assert Notification.objects.filter(recipient=bid_writer,
                                           subject__contains="terminated")

    def test_cancel_needs_a_reason(self, commissioner, published_tender, release):
        with pytest.raises(ValidationError):
            tenders.tender_cancel(actor=commissioner, tender=published_tender, reason=" ")

    def test_abandoning_a_draft_publishes_nothing(self, commissioner, draft_tender, release):
        tenders.tender_cancel(actor=commissioner, tender=draft_tender, reason="Duplicate")
        release.assert_not_called()


class TestContent:
    def test_lots_are_numbered_and_locked_after_publication(self, commissioner, authority,
                                                            published_tender):
        tender = cf.DraftTenderFactory(authority=authority)
        first = tender_content.lot_save(actor=commissioner, tender=tender,
                                        data={"title": "North", "description": "",
                                              "estimated_value_ex_vat": None})
        second = tender_content.lot_save(actor=commissioner, tender=tender,
                                         data={"title": "South", "description": "",
                                               "estimated_value_ex_vat": Decimal("1000")})
        assert (first.number, second.number) == (1, 2)
        with pytest.raises(ValidationError):
            tender_content.lot_save(actor=commissioner, tender=published_tender,
                                    data={"title": "Late"})

    def test_cpv_codes_validated_and_one_main(self, commissioner, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        with pytest.raises(ValidationError, match="not a CPV code"):
            tender_content.normalise_cpv_codes("85310000")
        codes = tender_content.normalise_cpv_codes("85310000-5, 85311000-2\n85310000-5")
        assert codes == ["85310000-5", "85311000-2"]
        with pytest.raises(ValidationError):
            tender_content.tender_cpv_set(actor=commissioner, tender=tender, codes=codes,
                                          main="98000000-3")
        tender_content.tender_cpv_set(actor=commissioner, tender=tender, codes=codes,
                                      main="85311000-2")
        assert list(tender.cpv_codes.filter(is_main=True).values_list("code", flat=True)) == [
            "85311000-2"]

    def test_conflicts_assessment_versions(self, commissioner, authority):
        tender = cf.DraftTenderFactory(authority=authority)
        first = tender_content.conflicts_assessment_record(actor=commissioner, tender=tender,
                                                           summary="None found.")
        second = tender_content.conflicts_assessment_record(
            actor=commissioner, tender=tender, summary="An officer's partner works at a bidder.",
            mitigations="Removed from the panel.")
        assert (first.version, second.version) == (1, 2)
        assert tender.conflicts_assessments.count() == 2
