"""Designing social value into a tender: services, problems and the permission matrix."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisations.models import Role
from socialvalue import hooks, services
from socialvalue.models import PlanMeasure
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_new_plan_lists_what_is_missing(authority, commissioner):
    plan = services.plan_create(actor=commissioner, authority=authority)
    assert plan.weight == Decimal("10.00") and plan.max_measures == 6
    problems = services.plan_problems(plan=plan, min_weight=Decimal("10"))
    assert "Choose at least one social value measure" in problems
    assert "Write the social value question bidders will answer" in problems


def test_a_complete_plan_has_no_problems(plan):
    assert services.plan_problems(plan=plan, min_weight=Decimal("10")) == []
    assert services.plan_problems(plan=plan, min_weight=Decimal("20")) == [
        "The social value weight must be at least 20%"]


def test_only_authorities_have_plans(provider, provider_admin):
    with pytest.raises(ValidationError):
        services.plan_create(actor=provider_admin, authority=provider)


def test_weight_must_reach_the_authoritys_minimum(plan, commissioner):
    with pytest.raises(ValidationError) as caught:
        services.plan_update(actor=commissioner, plan=plan, weight=Decimal("9.99"),
                             question="Q", min_weight=Decimal("10"))
    assert "weight" in caught.value.message_dict


def test_the_minimum_can_come_from_the_commissioning_hook(plan, commissioner, monkeypatch):
    monkeypatch.setattr(hooks, "_min_weight", lambda authority: Decimal("25"))
    with pytest.raises(ValidationError):
        services.plan_update(actor=commissioner, plan=plan, weight=Decimal("20"), question="Q")


def test_measures_need_a_relevance_and_are_capped(authority, commissioner, national):
    plan = services.plan_create(actor=commissioner, authority=authority)
    measures = list(services.plans.measures_available_to(authority)[:7])
    with pytest.raises(ValidationError):
        services.plan_measure_add(actor=commissioner, plan=plan, measure=measures[0],
                                  relevance="  ")
    for measure in measures[:6]:
        services.plan_measure_add(actor=commissioner, plan=plan, measure=measure,
                                  relevance="Relevant")
    with pytest.raises(ValidationError, match="at most 6"):
        services.plan_measure_add(actor=commissioner, plan=plan, measure=measures[6],
                                  relevance="Relevant")


def test_another_authoritys_measures_cannot_be_chosen(plan, local_measures):
    other = factories.AuthorityFactory()
    admin = factories.with_totp(factories.member(other, Role.AUTHORITY_ADMIN))
    other_plan = services.plan_create(actor=admin, authority=other)
    with pytest.raises(ValidationError):
        services.plan_measure_add(actor=admin, plan=other_plan, measure=local_measures["L1"],
                                  relevance="Relevant")


@pytest.mark.parametrize("who, view_status, edit_status", [
    ("commissioner", 200, 200), ("authority_admin", 200, 200), ("evaluator", 200, 403),
    ("other_commissioner", 403, 403), ("provider_admin", 403, 403), ("platform_admin", 200, 403),
])
def test_plan_permission_matrix(client, plan, authority_admin, provider_admin, platform_admin,
                                who, view_status, edit_status):
    people = {
        "commissioner": plan.created_by, "authority_admin": authority_admin,
        "evaluator": factories.with_totp(factories.member(plan.authority, Role.EVALUATOR)),
        "other_commissioner": factories.with_totp(factories.member(
            factories.AuthorityFactory(), Role.COMMISSIONER)),
        "provider_admin": provider_admin, "platform_admin": platform_admin,
    }
    client.force_login(people[who])
    assert client.get(reverse("socialvalue:plan_detail", args=[plan.pk])).status_code == \
        view_status
    assert client.get(reverse("socialvalue:plan_edit", args=[plan.pk])).status_code == \
        edit_status
    assert client.get(reverse("socialvalue:plan_measure_add", args=[plan.pk])).status_code \
        == edit_status


def test_a_commissioner_chooses_a_measure_and_errors_keep_their_input(client, authority,
                                                                      commissioner, national):
    plan = services.plan_create(actor=commissioner, authority=authority)
    measure = services.plans.measures_available_to(authority).first()
    client.force_login(commissioner)
    url = reverse("socialvalue:plan_measure_add", args=[plan.pk])
    response = client.post(url, {"measure": measure.pk, "relevance": ""})
    assert response.status_code == 200
    assert "Explain why this measure is relevant" in response.content.decode()
    assert f'value="{measure.pk}"' in response.content.decode()
    response = client.post(url, {"measure": measure.pk, "relevance": "Jobs for local people"})
    assert response.status_code == 302
    assert PlanMeasure.objects.get(plan=plan).relevance == "Jobs for local people"


def test_the_weight_form_explains_the_minimum(client, plan, commissioner):
    client.force_login(commissioner)
    url = reverse("socialvalue:plan_edit", args=[plan.pk])
    response = client.post(url, {"weight": "5", "question": "Our question"})
    body = response.content.decode()
    assert "Weight must be between 10%" in body and "Our question" in body
    assert client.post(url, {"weight": "12.5", "question": "Q"}).status_code == 302
    plan.refresh_from_db()
    assert plan.weight == Decimal("12.50")


def test_a_locked_plan_cannot_be_edited(client, plan, commissioner, monkeypatch):
    monkeypatch.setattr(hooks, "_plan_lock", lambda plan: "The tender is published.")
    client.force_login(commissioner)
    response = client.get(reverse("socialvalue:plan_edit", args=[plan.pk]))
    assert response.status_code == 302
    page = client.get(reverse("socialvalue:plan_detail", args=[plan.pk])).content.decode()
    assert "The tender is published." in page and "Add a measure" not in page
