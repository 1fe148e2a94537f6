"""Light touch from the CPV codes: the reference data, the rule, and what it drives."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from commissioning import light_touch
from commissioning.models import Tender
from commissioning.services.tender_content import tender_cpv_set
from commissioning.services.tenders import publication_review
from core.models import AuditEntry
from tests.commissioning import factories as cf

CPV_2008 = Path(__file__).resolve().parents[3] / "shared" / "reference" / "cpv-2008.csv"


# -- reference data --------------------------------------------------------------------------


def test_every_row_names_its_source_and_whether_it_was_checked():
    rows = light_touch.rows()
    assert len(rows) > 50
    for row in rows:
        assert row.source and row.heading and row.description
        assert row.status in ("verified", "unverified")
    # Schedule 1 of the 2024 Regulations was not retrieved: nothing may claim to be checked.
    assert all(not row.verified for row in rows)


@pytest.mark.skipif(not CPV_2008.exists(), reason="the CPV 2008 reference file is not here")
def test_every_code_in_the_list_is_a_real_cpv_2008_code():
    with CPV_2008.open(encoding="utf-8", newline="") as handle:
        known = {row["code"] for row in csv.DictReader(handle)}
    for row in light_touch.rows():
        assert row.cpv_from in known, row
        assert not row.cpv_to or row.cpv_to in known, row


@pytest.mark.parametrize(("code", "expected"), [
    ("85310000-5", True),   # social work services: inside 85000000 to 85323000
    ("85323000-9", True),   # the last code of the range
    ("85000000-9", True),   # the first
    ("80110000-8", True),   # pre-school education: inside 80000000 to 80660000
    ("55521100-9", True),   # meals on wheels
    ("79611000-0", True),   # job search services: a single code
    ("98000000-3", True),   # listed on its own...
    ("98300000-6", False),  # ...which does not bring in its children (laundry and the like)
    ("60130000-8", False),  # special-purpose road passenger transport
    ("72000000-5", False),  # IT services
    ("45000000-7", False),  # construction work
    ("8531000", False),     # not a code
])
def test_codes_are_light_touch_only_when_the_list_covers_them(code, expected):
    assert (light_touch.row_for(code) is not None) is expected


# -- the rule ----------------------------------------------------------------------------------


def test_the_main_code_decides_and_the_reason_says_so():
    assessment = light_touch.assess([("60130000-8", False), ("85310000-5", True)])
    assert assessment.is_light_touch
    assert assessment.main.code == "85310000-5"
    assert "main CPV code 85310000-5 is a light touch service" in assessment.reason
    assert "60130000-8 differs" in assessment.reason  # the commissioner sees the mixed case
    assert assessment.unverified


def test_a_contract_whose_main_code_is_not_listed_is_not_light_touch():
    assessment = light_touch.assess([("72000000-5", True), ("85310000-5", False)])
    assert not assessment.is_light_touch
    assert "is not a light touch service" in assessment.reason
    [_, other] = assessment.answers
    assert other.light_touch and "Health, social and related services" in other.explanation


def test_no_codes_means_no_answer_yet():
    assessment = light_touch.assess([])
    assert not assessment.is_light_touch and "Add the CPV codes" in assessment.reason


# -- derived on the tender ---------------------------------------------------------------------


@pytest.fixture
def draft(authority, commissioner):
    return cf.publishable_tender(authority=authority, created_by=commissioner)


def test_setting_the_codes_derives_light_touch_and_audits_it(draft, commissioner):
    tender_cpv_set(actor=commissioner, tender=draft, codes=["72000000-5"], main="72000000-5")
    draft.refresh_from_db()
    assert draft.is_light_touch is False
    tender_cpv_set(actor=commissioner, tender=draft, codes=["85310000-5", "72000000-5"],
                   main="85310000-5")
    draft.refresh_from_db()
    assert draft.is_light_touch is True
    entry = AuditEntry.objects.filter(action="tender.cpv_set").latest("id")
    assert entry.changes["is_light_touch"] == [False, True]


def test_the_tender_form_has_no_light_touch_tick_box(client, draft, commissioner):
    client.force_login(commissioner)
    html = client.get(reverse("commissioning:tender_edit", args=[draft.pk])).content.decode()
    assert 'name="is_light_touch"' not in html
    response = client.post(reverse("commissioning:tender_edit", args=[draft.pk]), {
        "title": draft.title, "reference": draft.reference, "summary": draft.summary,
        "procedure": "open", "contract_type": "services", "is_light_touch": "on",
        "estimated_value_ex_vat": "400000", "estimated_value_inc_vat": "480000",
        "max_term_months": "36"})
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.is_light_touch is False  # a posted tick box changes nothing


def test_light_touch_allows_the_ten_day_period(draft, commissioner):
    now = timezone.now()
    draft.questions_deadline = now + datetime.timedelta(days=5)
    draft.deadline = now + datetime.timedelta(days=11)
    draft.save()
    tender_cpv_set(actor=commissioner, tender=draft, codes=["72000000-5"], main="72000000-5")
    draft.refresh_from_db()
    assert not publication_review(draft, at=now).ok  # IT services: the usual minimum applies
    tender_cpv_set(actor=commissioner, tender=draft, codes=["85310000-5"], main="85310000-5")
    draft.refresh_from_db()
    review = publication_review(draft, at=now)
    assert review.timeline is not None and not review.timeline.errors


def test_reservation_needs_a_light_touch_main_code(draft, commissioner):
    Tender.objects.filter(pk=draft.pk).update(
        is_reserved_for_mutuals=True, procedure=Tender.Procedure.COMPETITIVE_FLEXIBLE)
    draft.refresh_from_db()
    tender_cpv_set(actor=commissioner, tender=draft, codes=["72000000-5"], main="72000000-5")
    draft.refresh_from_db()
    problems = " ".join(publication_review(draft).problems)
    assert "Only a light-touch contract can be reserved" in problems


def test_the_tender_page_shows_why(client, draft, commissioner):
    tender_cpv_set(actor=commissioner, tender=draft, codes=["85310000-5", "72000000-5"],
                   main="85310000-5")
    client.force_login(commissioner)
    html = client.get(reverse("commissioning:tender_manage", args=[draft.pk])).content.decode()
    assert 'data-light-touch="yes"' in html
    assert "main CPV code 85310000-5 is a light touch service" in html
    assert "10 days" in html and "standstill period is optional" in html
    assert "not yet checked against the Schedule" in html


def test_a_published_tender_keeps_its_recorded_answer_and_the_page_says_so(
        client, published_tender, commissioner):
    # The factory's tender has a light touch code but was published as not light touch.
    client.force_login(commissioner)
    html = client.get(reverse("commissioning:tender_manage",
                              args=[published_tender.pk])).content.decode()
    assert "published as not light touch" in html
    published_tender.refresh_from_db()
    assert published_tender.is_light_touch is False


def test_the_migration_derives_drafts_and_leaves_published_tenders(authority, commissioner):
    import importlib

    migration = importlib.import_module("commissioning.migrations.0007_light_touch_from_cpv")
    draft = cf.DraftTenderFactory(authority=authority, is_light_touch=False)
    cf.TenderCpvFactory(tender=draft, code="85310000-5", is_main=True)
    ticked = cf.DraftTenderFactory(authority=authority, is_light_touch=True)
    cf.TenderCpvFactory(tender=ticked, code="72000000-5", is_main=True)
    live = cf.TenderFactory(authority=authority, is_light_touch=True)
    cf.TenderCpvFactory(tender=live, code="72000000-5", is_main=True)
    migration.derive_light_touch_for_drafts(apps, None)
    values = dict(Tender.objects.filter(pk__in=[draft.pk, ticked.pk, live.pk])
                  .values_list("pk", "is_light_touch"))
    assert values == {draft.pk: True, ticked.pk: False, live.pk: True}
