"""Notices as data: each UK notice stored with its fields, its public page and a valid OCDS
release carrying the notice as a document, and the Act's rules on UK2, UK3 and UK4."""

import datetime
import json
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from commissioning.models import EngagementEvent, Notice
from commissioning.ocds.notices import EXTRA_DOCUMENT_TYPES
from commissioning.services import notices
from commissioning.services.contracts import contract_details_publish, contract_terminate
from commissioning.services.tenders import publication_review, tender_cancel, tender_publish
from tests.commissioning import factories as cf
from tests.commissioning import ocds_support as ocds
from tests.commissioning.ocds_support import no_network  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]


def release_of(client, notice: Notice) -> dict:
    response = client.get(reverse("commissioning:notice_release", args=[notice.pk]))
    assert response.status_code == 200
    return json.loads(response.content)


def assert_valid(package: dict) -> None:
    """Valid OCDS 1.1.5, offline; the two UK document types we publish on purpose allowed."""
    errors = ocds.schema_errors(package, "release-package-schema.json")
    for release in package["releases"]:
        errors += [error for error in ocds.codelist_errors(release)
                   if not any(f"'{code}'" in error for code in EXTRA_DOCUMENT_TYPES)]
    assert not errors, "\n".join(errors)


def notice_documents(release: dict, notice_type: str) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("noticeType") == notice_type:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(release)
    return found


@pytest.fixture
def engaged_tender(draft_tender, commissioner):
    """A publishable above-threshold draft whose project held a market engagement event."""
    project = cf.ProjectFactory(authority=draft_tender.authority, created_by=commissioner,
                                is_public=True)
    EngagementEvent.objects.create(project=project, title="Provider day", location="Online",
                                   starts_at=timezone.now() - datetime.timedelta(days=30))
    draft_tender.project = project
    draft_tender.save(update_fields=["project"])
    return draft_tender


def test_publishing_a_tender_issues_its_tender_notice_with_a_valid_release(
        client, draft_tender, commissioner):
    tender = tender_publish(actor=commissioner, tender=draft_tender)
    notice = Notice.objects.get(tender=tender)
    assert notice.notice_type == "UK4" and notice.ocid == tender.ocid
    assert notice.fields["Suitable for SMEs"] in {"Yes", "No"}
    package = release_of(client, notice)
    assert_valid(package)
    release = package["releases"][0]
    assert release["tag"] == ["tender"]
    [document] = release["tender"]["documents"][-1:]
    assert document["noticeType"] == "UK4" and document["documentType"] == "tenderNotice"
    assert "suitability" in release["tender"]
    page = client.get(reverse("commissioning:notice", args=[notice.pk]))
    assert page.status_code == 200 and "UK4 Tender notice" in page.content.decode()


def test_tender_notice_is_blocked_after_engagement_without_uk2_or_reason(engaged_tender,
                                                                        commissioner):
    review = publication_review(engaged_tender)
    assert any("preliminary market engagement notice (UK2)" in p for p in review.problems)
    with pytest.raises(ValidationError, match="UK2"):
        tender_publish(actor=commissioner, tender=engaged_tender)
    notices.planning_notice_publish(actor=commissioner, notice_type="UK2",
                                    project=engaged_tender.project)
    assert not any("UK2" in p for p in publication_review(engaged_tender).problems)


def test_a_recorded_reason_allows_the_tender_notice_and_is_published(
        client, engaged_tender, commissioner):
    with pytest.raises(ValidationError):
        notices.engagement_notice_reason_record(actor=commissioner, tender=engaged_tender,
                                                reason="  ")
    notices.engagement_notice_reason_record(actor=commissioner, tender=engaged_tender,
                                            reason="Engagement was a single open webinar.")
    tender_publish(actor=commissioner, tender=engaged_tender)
    release = release_of(client, Notice.objects.get(notice_type="UK4"))["releases"][0]
    assert release["planning"]["noEngagementNoticeRationale"] == ("Engagement was a single "
                                                                  "open webinar.")


def test_below_threshold_engagement_needs_no_uk2(engaged_tender):
    engaged_tender.estimated_value_ex_vat = engaged_tender.estimated_value_inc_vat = 20000
    assert notices.tender_notice_problems(engaged_tender, above_threshold=False) == []


@pytest.mark.parametrize(("age_days", "qualifies"),
                         [(39, False), (40, True), (365, True), (366, False)])
def test_a_uk3_qualifies_from_40_days_to_one_year_before(draft_tender, commissioner, age_days,
                                                        qualifies):
    tender_day = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now",
                    return_value=tender_day - datetime.timedelta(days=age_days)):
        notices.planning_notice_publish(actor=commissioner, notice_type="UK3",
                                        tender=draft_tender)
    found = notices.qualifying_planned_notice(draft_tender, tender_day)
    assert (found is not None) is qualifies


def test_a_qualifying_uk3_shortens_the_period_to_10_days(draft_tender, commissioner):
    draft_tender.deadline = timezone.now() + datetime.timedelta(days=12)
    draft_tender.questions_deadline = timezone.now() + datetime.timedelta(days=5)
    draft_tender.save()
    assert publication_review(draft_tender).timeline.rule.minimum_days == 25
    with mock.patch("django.utils.timezone.now",
                    return_value=timezone.now() - datetime.timedelta(days=60)):
        notices.planning_notice_publish(actor=commissioner, notice_type="UK3",
                                        tender=draft_tender)
    review = publication_review(draft_tender)
    assert review.timeline.rule.minimum_days == 10 and review.ok, review.problems


def test_planning_notices_have_valid_releases_in_planning_documents(
        client, project, draft_tender, commissioner):
    for notice_type, kwargs in (("UK1", {"project": project}), ("UK2", {"project": project}),
                                ("UK3", {"tender": draft_tender})):
        notice = notices.planning_notice_publish(actor=commissioner, notice_type=notice_type,
                                                 **kwargs)
        package = release_of(client, notice)
        assert_valid(package)
        [document] = package["releases"][0]["planning"]["documents"]
        assert document["noticeType"] == notice_type
    with pytest.raises(ValidationError):
        notices.planning_notice_publish(actor=commissioner, notice_type="UK4", project=project)


def test_only_the_authoritys_commissioners_publish_planning_notices(project,
                                                                    other_commissioner):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        notices.planning_notice_publish(actor=other_commissioner, notice_type="UK2",
                                        project=project)
    assert not Notice.objects.exists()


def test_termination_of_a_procurement_issues_uk12(client, published_tender, commissioner):
    published_tender.published_at = timezone.now()
    published_tender.save()
    tender_cancel(actor=commissioner, tender=published_tender, reason="Need has gone.")
    notice = Notice.objects.get(notice_type="UK12")
    package = release_of(client, notice)
    assert_valid(package)
    assert notice_documents(package["releases"][0], "UK12")[0]["documentType"] == \
        "cancellationDetails"


def test_contract_details_and_termination_issue_uk7_and_uk11(client, commissioner):
    tender = ocds.open_tender(created_by=commissioner, authority=commissioner_authority(
        commissioner))
    bid = ocds.submit_bid(tender, ocds.provider("Riverside Care"))
    ocds.close_deadline(tender, status="standstill")
    contract = ocds.enter_contract(ocds.publish_award(tender, bid))
    contract_details_publish(contract=contract, actor=commissioner)
    contract_terminate(contract=contract, actor=commissioner, reason="Provider insolvent.")
    for notice_type in ("UK7", "UK11"):
        notice = Notice.objects.get(notice_type=notice_type, contract=contract)
        package = release_of(client, notice)
        assert_valid(package)
        [document] = notice_documents(package["releases"][0], notice_type)
        assert document["documentType"] == "contractNotice"
        assert package["releases"][0]["contracts"][0]["documents"][-1] == document


def commissioner_authority(user):
    return user.memberships.first().organisation


def test_the_public_notice_list_filters_by_type_in_constant_queries(
        client, project, commissioner, django_assert_max_num_queries):
    notices.planning_notice_publish(actor=commissioner, notice_type="UK2", project=project)
    with django_assert_max_num_queries(8) as few:
        assert client.get(reverse("commissioning:notice_list")).status_code == 200
    for _ in range(15):
        notices.planning_notice_publish(actor=commissioner, notice_type="UK1", project=project)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("commissioning:notice_list"), {"notice_type": "UK2"})
    assert "1 notice" in response.content.decode()
    assert client.get(reverse("commissioning:notice_list"),
                      {"notice_type": "UK99"}).status_code == 200
    assert client.get(reverse("commissioning:notice", args=[99999])).status_code == 404


def test_commissioners_publish_the_uk2_and_record_the_reason_from_their_pages(
        client, engaged_tender, commissioner, other_commissioner):
    project = engaged_tender.project
    uk2 = reverse("commissioning:project_engagement_notice", args=[project.pk])
    reason = reverse("commissioning:engagement_notice_reason", args=[engaged_tender.pk])
    client.force_login(other_commissioner)
    assert client.post(uk2).status_code in (403, 404)
    assert client.post(reason, {"reason": "x"}).status_code in (403, 404)
    assert not Notice.objects.exists()
    client.force_login(commissioner)
    assert client.post(reason, {"reason": ""}).status_code == 200
    assert client.post(reason, {"reason": "One open webinar."}).status_code == 302
    assert engaged_tender.engagement_notice_reason.reason == "One open webinar."
    response = client.post(uk2)
    notice = Notice.objects.get(notice_type="UK2", project=project)
    assert response.url == reverse("commissioning:notice", args=[notice.pk])
    assert client.post(reverse("commissioning:project_engagement_notice",
                               args=[999999])).status_code == 404
