"""relatedProcesses: a tender follows on from its project's planning process (UK1/UK2), a
section 43 direct award from the unsuccessful competition it switched from; every release
validated offline against OCDS 1.1.5 (/work/shared/standards, through ocds_support)."""

import datetime
import json
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from commissioning.models import Contract, Notice
from commissioning.ocds import ocid_for
from commissioning.ocds.standards import codelist
from commissioning.services import contracts, notices
from commissioning.services import direct_awards as direct
from commissioning.services.tenders import tender_cancel, tender_publish
from tests.commissioning import factories as cf
from tests.commissioning.ocds_support import no_network  # noqa: F401  (fixture)
from tests.commissioning.test_notices import assert_valid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]

NOTICE_DAY = datetime.datetime(2026, 12, 22, 10, tzinfo=datetime.UTC)
AWARD_DAY = datetime.datetime(2027, 1, 6, 10, tzinfo=datetime.UTC)


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def package_of(client, notice: Notice) -> dict:
    package = json.loads(client.get(reverse("commissioning:notice_release",
                                            args=[notice.pk])).content)
    assert_valid(package)
    return package["releases"][0]


def test_the_relationships_used_are_in_the_codelist():
    assert {"planning", "unsuccessfulProcess"} <= codelist("relatedProcess.csv")
    assert "ocid" in codelist("relatedProcessScheme.csv")


def test_a_tender_follows_on_from_its_projects_planning_process(client, draft_tender,
                                                                 commissioner):
    project = cf.ProjectFactory(authority=draft_tender.authority, created_by=commissioner,
                                is_public=True)
    draft_tender.project = project
    draft_tender.save(update_fields=["project"])
    uk2 = notices.planning_notice_publish(actor=commissioner, notice_type="UK2",
                                          project=project)
    tender = tender_publish(actor=commissioner, tender=draft_tender)
    release = package_of(client, Notice.objects.get(tender=tender, notice_type="UK4"))
    [link] = release["relatedProcesses"]
    assert link["relationship"] == ["planning"] and link["scheme"] == "ocid"
    assert link["identifier"] == uk2.ocid != tender.ocid
    assert link["title"] == project.title
    assert link["uri"].endswith(reverse("commissioning:notice_release", args=[uk2.pk]))


def test_no_link_without_a_published_planning_notice(client, draft_tender, commissioner):
    draft_tender.project = cf.ProjectFactory(authority=draft_tender.authority,
                                             created_by=commissioner, is_public=True)
    draft_tender.save(update_fields=["project"])
    tender = tender_publish(actor=commissioner, tender=draft_tender)
    release = package_of(client, Notice.objects.get(tender=tender, notice_type="UK4"))
    assert "relatedProcesses" not in release


def switched_award(commissioner, authority, provider, competition):
    return direct.direct_award_create(actor=commissioner, authority=authority, data={
        "reference": "DA-43", "title": "Crisis beds", "description": "Crisis beds.",
        "supplier": provider, "basis": "s43", "ground": "",
        "justification": "Nobody bid in the competition.", "switched_from": competition,
        "value_ex_vat": Decimal("150000"), "starts_on": datetime.date(2027, 2, 1),
        "ends_on": datetime.date(2028, 1, 31)})


def test_a_section_43_award_follows_on_from_the_unsuccessful_competition(
        client, authority, commissioner, provider, draft_tender):
    competition = tender_publish(actor=commissioner, tender=draft_tender)
    competition = tender_cancel(actor=commissioner, tender=competition,
                                reason="No suitable bids.")
    award = switched_award(commissioner, authority, provider, competition)
    with at(NOTICE_DAY):
        direct.direct_award_transparency_publish(actor=commissioner, award=award)
    with at(AWARD_DAY):
        award = direct.direct_award_award(actor=commissioner, award=award)
        contract = Contract.objects.get(award__tender=award.procurement)
        contracts.contract_details_publish(contract=contract, actor=commissioner)
    expected = {"relationship": ["unsuccessfulProcess"], "scheme": "ocid",
                "identifier": ocid_for(competition), "title": competition.title}
    published = Notice.objects.filter(ocid=award.ocid).order_by("published_at", "pk")
    assert [notice.notice_type for notice in published] == ["UK5", "UK6", "UK7"]
    releases = [package_of(client, notice) for notice in published]
    for release in releases:
        [link] = release["relatedProcesses"]
        assert {key: link[key] for key in expected} == expected
        assert link["identifier"] != release["ocid"]
        assert link["uri"].endswith(reverse("commissioning:ocds_record",
                                            args=[ocid_for(competition)]))
    record = json.loads(client.get(reverse("commissioning:ocds_record",
                                           args=[award.ocid])).content)
    compiled = record["records"][0]["compiledRelease"]
    assert [link["relationship"] for link in compiled["relatedProcesses"]] == [
        ["unsuccessfulProcess"]]


def test_a_section_41_award_has_no_related_process(client, authority, commissioner, provider):
    award = direct.direct_award_create(actor=commissioner, authority=authority, data={
        "reference": "DA-41", "title": "Beds", "description": "Beds.", "supplier": provider,
        "basis": "s41", "ground": "urgency", "justification": "A provider closed.",
        "switched_from": None, "value_ex_vat": Decimal("1000"),
        "starts_on": datetime.date(2027, 2, 1), "ends_on": datetime.date(2027, 3, 1)})
    direct.direct_award_transparency_publish(actor=commissioner, award=award)
    assert "relatedProcesses" not in package_of(client, award.notices.get())
