"""The findings dashboard and a finding's page: who sees what, filters, and query budget."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.models import Finding
from compliance.services import RUN_CHECK_TASK
from core.models import OutboxMessage
from organisations.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("compliance:dashboard")


@pytest.fixture
def other_authority(db):
    return factories.AuthorityFactory()


@pytest.fixture
def findings(make_finding, authority, other_authority):
    return {
        "own": make_finding(organisation=authority, message="Own authority's problem"),
        "other": make_finding(organisation=other_authority, message="Other authority's problem"),
        "platform": make_finding(organisation=None, message="Platform problem"),
    }


def _messages(response) -> set[str]:
    return {row.message for row in response.context["rows"]}


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("person", ["citizen", "provider_admin", "bid_writer"])
def test_people_who_are_not_staff_are_refused(client, request, person, findings):
    client.force_login(request.getfixturevalue(person))
    assert client.get(DASHBOARD).status_code == 403
    detail = reverse("compliance:finding_detail", args=[findings["own"].pk])
    assert client.get(detail).status_code == 403


@pytest.mark.parametrize("person", ["authority_admin", "commissioner"])
def test_authority_staff_see_only_their_authoritys_findings(client, request, person, findings):
    client.force_login(request.getfixturevalue(person))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert _messages(response) == {"Own authority's problem"}


def test_platform_admins_see_every_finding(client, platform_admin, findings):
    client.force_login(platform_admin)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert _messages(response) == {
        "Own authority's problem", "Other authority's problem", "Platform problem",
    }
    assert f'href="{DASHBOARD}"' in response.content.decode()  # the navigation item


def test_filters_and_the_default_of_open_findings(client, platform_admin, make_finding):
    make_finding(message="Open high")
    make_finding(message="Open low", severity="low", check_id="organisations.staff_without_mfa")
    make_finding(message="Resolved", status=Finding.Status.RESOLVED)
    client.force_login(platform_admin)

    assert _messages(client.get(DASHBOARD)) == {"Open high", "Open low"}
    assert _messages(client.get(DASHBOARD, {"status": ""})) == {"Open high", "Open low", "Resolved"}
    assert _messages(client.get(DASHBOARD, {"status": "resolved"})) == {"Resolved"}
    assert _messages(client.get(DASHBOARD, {"severity": "low"})) == {"Open low"}
    assert _messages(
        client.get(DASHBOARD, {"check": "organisations.staff_without_mfa"})
    ) == {"Open low"}


def test_the_dashboard_is_paginated_by_25(client, platform_admin, make_finding):
    for _ in range(30):
        make_finding()
    client.force_login(platform_admin)
    response = client.get(DASHBOARD, {"page": 2})
    assert response.context["page_obj"].number == 2
    assert len(response.context["rows"]) == 5


@pytest.mark.parametrize("person", ["platform_admin", "authority_admin"])
def test_the_dashboard_costs_the_same_queries_for_1_or_30_findings(
    client, request, person, authority, make_finding
):
    client.force_login(request.getfixturevalue(person))
    client.get(DASHBOARD)  # warm up: session flags, content types

    def queries_with(count: int) -> int:
        Finding.objects.all().delete()
        for index in range(count):
            make_finding(organisation=authority, severity=("high", "medium", "low")[index % 3])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(DASHBOARD)
        assert len(response.context["rows"]) == min(count, 25)
        return len(captured)

    one, thirty = queries_with(1), queries_with(30)
    assert one == thirty
    assert one <= 10  # the list-page budget (perf_reliability.md, implication 3)


def test_a_finding_page_shows_its_history(client, authority_admin, authority, make_finding):
    earlier = make_finding(organisation=authority, object_id=42, status=Finding.Status.RESOLVED)
    current = make_finding(organisation=authority, object_id=42, message="Back again")
    client.force_login(authority_admin)

    response = client.get(reverse("compliance:finding_detail", args=[current.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Back again" in content
    assert "First seen" in content and "Last seen" in content and "Resolved" in content
    assert [episode.pk for episode in response.context["episodes"]] == [current.pk, earlier.pk]
    assert reverse("compliance:finding_detail", args=[earlier.pk]) in content


def test_another_authoritys_finding_is_not_found(client, authority_admin, findings):
    client.force_login(authority_admin)
    for key in ("other", "platform"):
        url = reverse("compliance:finding_detail", args=[findings[key].pk])
        assert client.get(url).status_code == 404


def test_platform_admins_can_ask_for_a_check_to_run_now(client, platform_admin):
    client.force_login(platform_admin)
    url = reverse("compliance:run_check", args=["organisations.staff_without_mfa"])

    response = client.post(url)

    assert response.status_code == 302 and response["Location"] == DASHBOARD
    message = OutboxMessage.objects.get(task_name=RUN_CHECK_TASK)
    assert message.args == ["organisations.staff_without_mfa"]


def test_only_platform_admins_may_run_checks(client, authority_admin):
    client.force_login(authority_admin)
    url = reverse("compliance:run_check", args=["organisations.staff_without_mfa"])
    assert client.post(url).status_code == 403
    assert not OutboxMessage.objects.exists()


def test_an_unknown_check_cannot_be_run(client, platform_admin):
    client.force_login(platform_admin)
    response = client.post(reverse("compliance:run_check", args=["tests.nowhere"]), follow=True)
    assert "There is no compliance check with that name." in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_staff_of_a_provider_and_an_authority_see_findings_as_the_authority(
    client, authority, provider, findings
):
    person = factories.with_totp(factories.member(provider, Role.PROVIDER_ADMIN))
    factories.MembershipFactory(user=person, organisation=authority, role=Role.EVALUATOR)
    client.force_login(person)
    session = client.session
    session["current_organisation_id"] = authority.pk
    session.save()
    assert _messages(client.get(DASHBOARD)) == {"Own authority's problem"}
    session["current_organisation_id"] = provider.pk
    session.save()
    assert client.get(DASHBOARD).status_code == 403
