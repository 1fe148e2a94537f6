"""Designing social value into a tender: attaching a plan and the checks before publication."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.services.tender_social_value import tender_social_value_plan_attach
from commissioning.services.tenders import publication_review
from core.models import AuditEntry
from socialvalue import services as sv
from socialvalue.models import Measure
from tests.commissioning.factories import publishable_tender


@pytest.fixture
def tender(authority, commissioner):
    return publishable_tender(authority=authority, created_by=commissioner)


def test_attaching_a_plan_takes_the_criterion_weight_and_is_audited(tender, commissioner):
    plan = tender_social_value_plan_attach(actor=commissioner, tender=tender)
    tender.refresh_from_db()
    assert tender.social_value_plan == plan and plan.weight == Decimal("10")
    assert tender_social_value_plan_attach(actor=commissioner, tender=tender) == plan
    assert AuditEntry.objects.filter(action="tender.social_value_plan_attached").count() == 1


def test_only_the_tenders_managers_attach_a_plan(tender, bid_writer):
    with pytest.raises(PermissionDenied):
        tender_social_value_plan_attach(actor=bid_writer, tender=tender)


def test_a_published_tender_cannot_start_a_design(published_tender, commissioner):
    with pytest.raises(ValidationError):
        tender_social_value_plan_attach(actor=commissioner, tender=published_tender)


def test_no_design_is_a_warning_an_empty_design_blocks_publication(tender, commissioner):
    review = publication_review(tender)
    assert review.ok and any("social value measures" in w for w in review.warnings)
    tender_social_value_plan_attach(actor=commissioner, tender=tender)
    tender.refresh_from_db()
    assert not publication_review(tender).ok


def test_design_and_criterion_weights_must_agree(tender, commissioner):
    sv.load_social_value_model()
    plan = tender_social_value_plan_attach(actor=commissioner, tender=tender)
    sv.plan_measure_add(actor=commissioner, plan=plan, measure=Measure.objects.first(),
                        relevance="Local jobs matter for this service.")
    sv.plan_update(actor=commissioner, plan=plan, weight=Decimal("10"),
                   question="How will you create local jobs for people far from work?")
    tender.refresh_from_db()
    assert publication_review(tender).ok
    tender.criteria.filter(kind="social_value").update(weight=Decimal("15"))
    tender.criteria.filter(kind="price").update(weight=Decimal("25"))
    assert any("make them the same" in p for p in publication_review(tender).problems)


def test_the_page_starts_the_design_then_leads_to_it(client, tender, commissioner):
    client.force_login(commissioner)
    url = reverse("commissioning:tender_social_value", args=[tender.pk])
    assert b"Start the social value design" in client.get(url).content
    response = client.post(url)
    tender.refresh_from_db()
    assert response["Location"] == reverse("socialvalue:plan_edit",
                                           args=[tender.social_value_plan_id])
    assert client.get(url)["Location"] == reverse("socialvalue:plan_detail",
                                                  args=[tender.social_value_plan_id])
