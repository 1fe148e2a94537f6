"""The pages for input the portal cannot use, checked with axe like every other page."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from organisations.models import Role
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bad_request_page(page, check_accessibility):
    response = page.goto("/ocds/releases/%00/")
    assert response.status == 400
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Sorry, we could not use what was sent")
    check_accessibility(page)


def test_the_page_for_an_address_that_only_takes_a_form(page, live_server, check_accessibility):
    provider = factories.OrganisationFactory()
    person = factories.member(provider, Role.PROVIDER_ADMIN)
    client = Client()
    client.force_login(person)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    response = page.goto(reverse("organisations:resubmit", args=[provider.pk]))
    assert response.status == 405
    assert page.get_by_role("heading", level=1).inner_text() == (
        "This address is for sending a form")
    check_accessibility(page)
