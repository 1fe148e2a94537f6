"""Input the portal cannot use gets a page that says so (found by tests/fuzz), never a 500."""

import datetime

import pytest
from django import forms
from django.db import DataError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from commissioning.forms.criteria import ProcurementSettingsForm
from core.forms import GovukDateField
from core.middleware import BadInputMiddleware
from tests import factories

REFUSED = "Sorry, we could not use what was sent"


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/ocds/releases/%00/", "/organisations/invitations/a%00b/", "/tenders/?q=%00"])
def test_a_nul_character_in_the_address_is_refused_with_a_page(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


def test_a_value_the_database_refuses_becomes_a_400_page():
    middleware = BadInputMiddleware(lambda request: HttpResponse())
    request = RequestFactory().post("/anything/")
    response = middleware.process_exception(
        request, DataError("value too long for type character varying(200)"))
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


def test_other_errors_are_left_to_the_server_error_page():
    middleware = BadInputMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/anything/")
    assert middleware.process_exception(request, ValueError("a bug in a view")) is None
    assert middleware.process_exception(request, KeyError("x")) is None


@pytest.mark.django_db
def test_a_forged_admin_selection_is_refused_not_a_server_error(client):
    # The demo's platform admin is a superuser: every admin action is offered to them.
    client.force_login(factories.with_totp(factories.PlatformAdminFactory(is_superuser=True)))
    response = client.post(reverse("admin:socialvalue_theme_changelist"), {
        "action": "delete_selected", "_selected_action": ["1e400"]})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


@pytest.mark.django_db
def test_a_suspicious_request_gets_the_400_page(client, platform_admin):
    client.force_login(platform_admin)
    response = client.get(reverse("admin:organisations_organisation_changelist"),
                          {"_to_field": "password"})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


@pytest.mark.django_db
def test_opening_a_post_only_address_explains_itself(client, provider_admin):
    client.force_login(provider_admin)
    response = client.get(reverse("organisations:resubmit",
                                  args=[provider_admin.memberships.get().organisation_id]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "This address is for sending a form" in response.content.decode()


class WhenForm(forms.Form):
    when = GovukDateField(label="Start date")


@pytest.mark.parametrize("day, month, year", [
    ("99999999999999999999", "1", "2027"), ("1", "-99999999999999999999", "2027"),
    ("31", "2", "2027")])
def test_an_impossible_date_is_a_form_error(day, month, year):
    form = WhenForm({"when_day": day, "when_month": month, "when_year": year})
    assert not form.is_valid()
    assert form.errors["when"] == ["Start date must be a real date"]


def test_a_valid_date_still_passes():
    form = WhenForm({"when_day": "15", "when_month": "1", "when_year": "2027"})
    assert form.is_valid()
    assert form.cleaned_data["when"] == datetime.date(2027, 1, 15)


@pytest.mark.parametrize("weight, message", [
    ("-1", "Weight must be 0% or more"), ("101", "Weight must be 100% or less")])
def test_weight_limits_are_explained_with_a_percent_sign(weight, message):
    form = ProcurementSettingsForm({"min_social_value_weight": weight})
    assert not form.is_valid()
    assert form.errors["min_social_value_weight"] == [message]
