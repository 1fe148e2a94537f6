"""Landing page, navigation, dashboard panel, catalogue pages and the import page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Role
from socialvalue import services
from socialvalue.models import Framework
from tests import factories
from tests.socialvalue.conftest import LOCAL_ROWS, entry, local_csv, pm

pytestmark = pytest.mark.django_db


def test_navigation_shows_social_value_to_staff_and_suppliers_with_ledgers(
        client, commissioner, provider_admin):
    client.force_login(commissioner)
    assert "Social value" in client.get(reverse("core:dashboard")).content.decode()
    client.force_login(provider_admin)
    assert client.get(reverse("socialvalue:home")).status_code == 403


def test_suppliers_with_a_ledger_see_it_and_their_dashboard_panel(client, ledger,
                                                                  provider_admin):
    client.force_login(provider_admin)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert 'id="panel-socialvalue"' in page and "periods to report on" in page
    home = client.get(reverse("socialvalue:home")).content.decode()
    assert "Delivery" in home and "Reports" not in home


def test_catalogue_pages(client, commissioner, national, local_framework):
    client.force_login(commissioner)
    page = client.get(reverse("socialvalue:catalogue")).content.decode()
    assert str(national) in page and str(local_framework) in page
    detail = client.get(reverse("socialvalue:framework_detail", args=[local_framework.pk]))
    assert "Version 1: £1,000.00" in detail.content.decode()


def test_another_authoritys_framework_is_hidden(client, local_framework):
    stranger = factories.with_totp(factories.member(factories.AuthorityFactory(),
                                                    Role.COMMISSIONER))
    client.force_login(stranger)
    url = reverse("socialvalue:framework_detail", args=[local_framework.pk])
    assert client.get(url).status_code == 403


def test_importing_through_the_page_lists_every_problem(client, commissioner):
    client.force_login(commissioner)
    bad = local_csv(LOCAL_ROWS[0], LOCAL_ROWS[1].replace(",2000,", ",x,"))
    response = client.post(reverse("socialvalue:catalogue_import"), {
        "file": SimpleUploadedFile("values.csv", bad.encode(), content_type="text/csv")})
    page = response.content.decode()
    assert "Nothing was imported" in page and "proxy_value" in page and ">3<" in page
    assert not Framework.objects.exists()
    response = client.post(reverse("socialvalue:catalogue_import"), {
        "file": SimpleUploadedFile("values.csv", local_csv(*LOCAL_ROWS).encode(),
                                   content_type="text/csv")})
    assert response.status_code == 302 and Framework.objects.count() == 1


def test_providers_cannot_import(client, provider_admin):
    client.force_login(provider_admin)
    assert client.get(reverse("socialvalue:catalogue_import")).status_code == 403


def test_lists_use_a_constant_number_of_queries(client, plan, provider, contract_manager):
    client.force_login(contract_manager)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add_ledger():
        recorded = services.commitments_record(
            plan=plan, supplier=provider, contract_value=1000 * 1000,
            entries=[entry(pm(plan, "L1"))])
        services.ledger_create(commitment_set=recorded, authority=plan.authority,
                               actor=contract_manager, starts_on=datetime.date(2025, 1, 1),
                               ends_on=datetime.date(2025, 12, 31))

    add_ledger()
    urls = [reverse("socialvalue:ledger_list"), reverse("socialvalue:plan_list"),
            reverse("socialvalue:reports"), reverse("socialvalue:performance")]
    count(reverse("socialvalue:home"))  # the session's first request does more
    before = [count(url) for url in urls]
    add_ledger()
    add_ledger()
    assert [count(url) for url in urls] == before


def test_the_question_box_starts_with_the_model_question_naming_the_outcomes(
        client, authority, commissioner, local_measures):
    plan = services.plan_create(actor=commissioner, authority=authority)
    for code in ("L1", "L2", "L3"):
        services.plan_measure_add(actor=commissioner, plan=plan, measure=local_measures[code],
                                  relevance="Relevant")
    client.force_login(commissioner)
    page = client.get(reverse("socialvalue:plan_edit", args=[plan.pk])).content.decode()
    box = page.split('name="question"', 1)[1].split("</textarea>", 1)[0]
    assert "Describe the commitment your organisation will make" in box
    assert "these outcomes: Local jobs; Local spend." in box  # each outcome once


def test_a_written_question_is_kept_not_replaced_by_the_model(client, plan, commissioner):
    client.force_login(commissioner)
    page = client.get(reverse("socialvalue:plan_edit", args=[plan.pk])).content.decode()
    box = page.split('name="question"', 1)[1].split("</textarea>", 1)[0]
    assert "How will you create local jobs?" in box and "Describe the commitment" not in box


def test_performance_report_headings_are_proper_words(client, ledger, commissioner):
    client.force_login(commissioner)
    page = client.get(reverse("socialvalue:performance")).content.decode()
    assert "By authority" in page and "By supplier" in page
    assert "authoritie" not in page
