"""Eligibility: one set of declarative rules for the public pre-check and the submit check."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants import eligibility
from grants.eligibility import Facts
from grants.services import applications as apps
from tests.grants import support

pytestmark = pytest.mark.django_db

GOOD = Facts(legal_form="cio", postcode="LS6 1AA", annual_income=Decimal("120000"),
             registered=True, amount=Decimal("20000"), live_grants=0)


@pytest.mark.parametrize(("postcode", "areas", "inside"), [
    ("LS6 1AA", ["LS"], True), ("L1 1AA", ["LS"], False), ("LS61AA", ["LS6"], True),
    ("LS16 1AA", ["LS6"], False), ("BD3 9XX", ["LS", "BD3"], True)])
def test_postcode_areas_and_districts(postcode, areas, inside):
    assert eligibility.postcode_in_areas(postcode, areas) is inside


def test_each_failed_rule_says_why_in_plain_words(open_round):
    facts = Facts(legal_form="large", postcode="M1 1AA", annual_income=Decimal("900000"),
                  registered=False, amount=Decimal("60000"), live_grants=0)
    failed = {r.rule: r.message for r in eligibility.failures(
        eligibility.evaluate(open_round, facts))}
    assert set(failed) == {"legal_form", "area", "income", "registration", "amount"}
    assert "Your organisation is a large company" in failed["legal_form"]
    assert "M1 1AA is outside them" in failed["area"]
    assert "£900,000.00" in failed["income"]
    assert "£60,000.00 is outside that range" in failed["amount"]


def test_rules_a_round_does_not_use_are_not_asked(programme, manager):
    round_ = support.published_round(programme, manager, eligible_legal_forms=[],
                                     eligible_postcode_areas=[], max_annual_income=None,
                                     require_registration=False)
    assert [r.id for r in eligibility.rules_for(round_)] == ["amount"]


def test_the_precheck_needs_no_login_and_shares_the_rules(client, open_round):
    url = reverse("grants:round_check", args=[open_round.pk])
    response = client.get(url, {"check": "1", "legal_form": "cio", "postcode": "M1 1AA",
                                "annual_income": "1000", "registered": "yes",
                                "amount": "20000"})
    body = response.content.decode()
    assert response.status_code == 200 and "You cannot apply" in body
    assert "outside them" in body
    ok = client.get(url, {"check": "1", "legal_form": "cio", "postcode": "LS6 1AA",
                          "annual_income": "1000", "registered": "yes", "amount": "20000"})
    assert "You can apply" in ok.content.decode()


def test_submit_refuses_what_the_precheck_refuses(open_round):
    org, user = support.applicant(postcode="M1 1AA")
    application = apps.application_start(actor=user, round_=open_round, organisation=org)
    support.fill(application, user)
    application.beneficiary_postcode = ""
    application.save()
    precheck = eligibility.evaluate(open_round, Facts(
        legal_form=org.legal_form, postcode=org.postcode, annual_income=Decimal("120000"),
        registered=True, amount=Decimal("20000"), live_grants=0))
    with pytest.raises(ValidationError) as refused:
        apps.application_submit(actor=user, application=application)
    expected = [f"{r.title}: {r.message}" for r in eligibility.failures(precheck)]
    assert refused.value.messages == expected
    application.refresh_from_db()
    assert application.status == "draft"


def test_the_organisation_profile_is_the_source_at_submit(open_round):
    org, user = support.applicant(legal_form="large", charity_number="", company_number="01234567")
    application = apps.application_start(actor=user, round_=open_round, organisation=org)
    support.fill(application, user)
    with pytest.raises(ValidationError, match="Your organisation is a large company"):
        apps.application_submit(actor=user, application=application)


def test_eligible_results_are_kept_with_the_submission(open_round):
    org, user = support.applicant()
    application = apps.application_start(actor=user, round_=open_round, organisation=org)
    support.fill(application, user)
    apps.application_submit(actor=user, application=application)
    application.refresh_from_db()
    assert all(r["passed"] for r in application.eligibility)
    assert {r["rule"] for r in application.eligibility} == {
        "legal_form", "area", "income", "registration", "amount"}
