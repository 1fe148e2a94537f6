"""Award criteria: weights, sub-criteria, scales, the social value floor, scoring method."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning import scoring
from commissioning.models import AuthorityProcurementSettings, AwardCriterion
from commissioning.services import criteria as services
from core.models import AuditEntry
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf

Kind = AwardCriterion.Kind


@pytest.fixture
def tender(authority, commissioner):
    tender = cf.DraftTenderFactory(authority=authority, created_by=commissioner)
    cf.TenderQuestionFactory(tender=tender, number=1)
    return tender


def build(tender, actor, *, quality="60", price="30", social="10"):
    made = {
        "quality": services.criterion_create(tender=tender, actor=actor, kind=Kind.QUALITY,
                                             name="Quality", weight=Decimal(quality)),
        "price": services.criterion_create(tender=tender, actor=actor, kind=Kind.PRICE,
                                           name="Price", weight=Decimal(price)),
    }
    if social:
        made["social"] = services.criterion_create(
            tender=tender, actor=actor, kind=Kind.SOCIAL_VALUE, name="Social value",
            weight=Decimal(social), scale="0_5")
    tender.questions.update(criterion=made["quality"])
    return made


def test_complete_criteria_have_no_problems(tender, commissioner):
    build(tender, commissioner)
    assert services.criteria_problems(tender) == []
    assert services.criteria_validate is services.criteria_problems


def test_weights_must_add_up_to_100(tender, commissioner):
    build(tender, commissioner, quality="50")
    assert services.criteria_problems(tender) == [
        "The weights of the main criteria add up to 90%: they must add up to 100%."]


def test_a_social_value_criterion_is_required(tender, commissioner):
    build(tender, commissioner, quality="70", social=None)
    problems = services.criteria_problems(tender)
    assert "Add a social value criterion weighted at least 10% of the total score." in problems


def test_social_value_must_meet_the_default_ten_percent_floor(tender, commissioner):
    build(tender, commissioner, quality="65", social="5")
    [problem] = services.criteria_problems(tender)
    assert "weighted 5%" in problem and "at least 10% of the total score" in problem
    assert "contract value" not in problem


def test_social_value_floor_follows_the_authority_setting(tender, commissioner, authority):
    build(tender, commissioner, quality="65", social="5")
    AuthorityProcurementSettings.objects.create(authority=authority,
                                                min_social_value_weight=Decimal("5"))
    # A stored setting below the portal minimum (10%) does not lower the floor.
    assert "at least 10%" in services.criteria_problems(tender)[0]
    AuthorityProcurementSettings.objects.filter(authority=authority).update(
        min_social_value_weight=Decimal("20"))
    assert "at least 20%" in services.criteria_problems(tender)[0]


def test_sub_criteria_weights_must_add_up_to_their_parent(tender, commissioner):
    made = build(tender, commissioner)
    for name, weight in (("Staffing", "30"), ("Safeguarding", "20")):
        services.criterion_create(tender=tender, actor=commissioner, kind=Kind.QUALITY,
                                  name=name, weight=Decimal(weight), parent=made["quality"])
    tender.questions.update(criterion=tender.criteria.get(name="Staffing"))
    assert services.criteria_problems(tender) == [
        "The sub-criteria of Quality add up to 50%: they must add up to its 60%."]


def test_sub_criteria_go_under_a_main_criterion_of_the_same_kind(tender, commissioner):
    made = build(tender, commissioner)
    with pytest.raises(ValidationError) as error:
        services.criterion_create(tender=tender, actor=commissioner, kind=Kind.SOCIAL_VALUE,
                                  name="Local jobs", weight=Decimal("5"), parent=made["quality"])
    assert "parent" in error.value.error_dict


def test_pass_or_fail_criteria_weigh_nothing_and_only_one_price(tender, commissioner):
    build(tender, commissioner)
    with pytest.raises(ValidationError) as error:
        services.criterion_create(tender=tender, actor=commissioner, kind=Kind.PASS_FAIL,
                                  name="Insurance", weight=Decimal("5"))
    assert error.value.error_dict["weight"][0].message == (
        "A pass or fail criterion has a weight of 0%.")
    with pytest.raises(ValidationError) as error:
        services.criterion_create(tender=tender, actor=commissioner, kind=Kind.PRICE,
                                  name="Price again", weight=Decimal("5"))
    assert "kind" in error.value.error_dict


def test_default_scales_have_descriptors_for_each_point(tender, commissioner):
    made = build(tender, commissioner)
    assert made["quality"].max_score == 100
    assert [p.score for p in made["quality"].scale.all()] == [100, 80, 60, 40, 20, 0]
    assert made["social"].max_score == 5
    assert [p.score for p in made["social"].scale.all()] == [5, 4, 3, 2, 1, 0]
    assert not made["price"].scale.exists()


def test_unlinked_questions_are_reported(tender, commissioner):
    build(tender, commissioner)
    tender.questions.update(criterion=None)
    assert services.criteria_problems(tender) == [
        "Question 1 is not linked to an award criterion."]


def test_questions_cannot_be_linked_to_price(tender, commissioner):
    made = build(tender, commissioner)
    question = tender.questions.get()
    with pytest.raises(ValidationError):
        services.questions_link(tender=tender, actor=commissioner,
                                links={question.pk: made["price"]})
    services.questions_link(tender=tender, actor=commissioner,
                            links={question.pk: made["social"]})
    question.refresh_from_db()
    assert question.criterion == made["social"]


def test_criteria_are_frozen_once_published(tender, commissioner):
    made = build(tender, commissioner)
    tender.status = "published"
    tender.save()
    with pytest.raises(ValidationError, match="cannot change once the tender is published"):
        services.criterion_update(criterion=made["quality"], actor=commissioner, name="Q",
                                  weight=Decimal("60"))


def test_only_the_authoritys_commissioners_set_criteria(tender, provider_admin, authority):
    outsider = factories.with_totp(factories.member(factories.AuthorityFactory(),
                                                    Role.COMMISSIONER))
    evaluator = factories.member(authority, Role.EVALUATOR)
    for person in (provider_admin, outsider, evaluator):
        with pytest.raises(PermissionDenied):
            services.criterion_create(tender=tender, actor=person, kind=Kind.QUALITY,
                                      name="Quality", weight=Decimal("60"))


def test_scoring_method_publishes_a_rule_the_portal_applies(tender, commissioner):
    services.scoring_method_update(tender=tender, actor=commissioner,
                                   price_formula="linear_budget", tie_break="price_then_quality")
    tender.refresh_from_db()
    assert tender.price_formula == "linear_budget"
    assert scoring.tie_break_key(tender.tie_break_rule) == "price_then_quality"


def test_the_default_tie_break_rule_is_one_the_portal_applies():
    assert scoring.tie_break_key(cf.Tender().tie_break_rule) == "quality_then_price"


def test_authority_admins_set_the_minimum_social_value_weight(authority, authority_admin,
                                                              commissioner):
    with pytest.raises(PermissionDenied):
        services.procurement_settings_update(authority=authority, actor=commissioner,
                                             min_social_value_weight=Decimal("15"))
    services.procurement_settings_update(authority=authority, actor=authority_admin,
                                         min_social_value_weight=Decimal("15"))
    assert services.min_social_value_weight(authority) == Decimal("15")
    assert AuditEntry.objects.filter(action="procurement_settings.update").exists()


# Pages ---------------------------------------------------------------------------------------


def test_commissioner_adds_a_criterion_and_sees_what_is_missing(client, tender, commissioner):
    client.force_login(commissioner)
    url = reverse("commissioning:criterion_add", args=[tender.pk])
    response = client.post(url, {"kind": "quality", "name": "", "weight": "abc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter the name of the criterion" in html
    assert "Weight must be a number" in html
    response = client.post(url, {"kind": "pass_fail", "name": "Insurance", "weight": "5",
                                 "scale": "0_100"})
    assert "A pass or fail criterion has a weight of 0%." in response.content.decode()
    assert 'value="Insurance"' in response.content.decode()
    response = client.post(url, {"kind": "quality", "name": "Quality", "weight": "60",
                                 "scale": "0_100"}, follow=True)
    html = response.content.decode()
    assert "Criterion “Quality” added." in html
    assert "Add a social value criterion weighted at least 10%" in html


def test_criteria_pages_are_for_the_authoritys_staff(client, tender, provider_admin,
                                                     commissioner):
    url = reverse("commissioning:criteria", args=[tender.pk])
    assert client.get(url).status_code == 302
    client.force_login(provider_admin)
    assert client.get(url).status_code == 403
    client.force_login(commissioner)
    assert client.get(url).status_code == 200
    assert client.get(reverse("commissioning:criteria", args=[999999])).status_code == 404


def test_settings_page_for_authority_admins(client, authority_admin, commissioner):
    client.force_login(commissioner)
    assert client.get(reverse("commissioning:procurement_settings")).status_code == 403
    client.force_login(authority_admin)
    response = client.post(reverse("commissioning:procurement_settings"),
                           {"min_social_value_weight": "12.5"}, follow=True)
    assert "Procurement settings saved." in response.content.decode()


def test_partials_for_the_tender_pages_render(tender, commissioner):
    from django.template.loader import render_to_string

    build(tender, commissioner)
    summary = render_to_string("commissioning/criteria/_summary.html", {"tender": tender})
    assert "Social value" in summary and "10%" in summary
    links = render_to_string("commissioning/evaluation/_tender_links.html", {"tender": tender})
    assert reverse("commissioning:criteria", args=[tender.pk]) in links
    assert reverse("commissioning:opening", args=[tender.pk]) not in links  # still a draft


def test_the_question_link_is_not_called_optional_when_publishing_needs_it(
        client, tender, commissioner):
    build(tender, commissioner)
    client.force_login(commissioner)
    page = client.get(reverse("commissioning:criteria_questions", args=[tender.pk]))
    html = page.content.decode()
    question = tender.questions.get()
    label = html.split(f'for="id_question_{question.pk}"', 1)[1].split("</label>", 1)[0]
    assert "(optional)" not in label
    assert "must be linked to a criterion before you publish" in html
