"""Report pages and CSV files: who may see what, filters, CSV format and query budget."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.middleware import SESSION_KEY
from organisations.models import Role
from reports.presenters import REPORTS
from tests import factories
from tests.reports.conftest import award, bid, noon, tender

pytestmark = pytest.mark.django_db
INDEX = reverse("reports:index")
SLUGS = sorted(REPORTS)


def url(slug: str, query: str = "") -> str:
    return reverse("reports:report", args=[slug]) + (f"?{query}" if query else "")


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_anonymous_people_are_sent_to_sign_in(client):
    for address in (INDEX, url("pipeline")):
        response = client.get(address)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("person", ["citizen", "provider_admin", "bid_writer"])
def test_people_who_are_not_authority_staff_are_refused(client, request, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(INDEX).status_code == 403
    for slug in SLUGS:
        assert client.get(url(slug)).status_code == 403
        assert client.get(url(slug, "format=csv")).status_code == 403


def test_staff_working_as_a_provider_are_refused(client, commissioner, provider):
    factories.MembershipFactory(user=commissioner, organisation=provider, role=Role.BID_WRITER)
    client.force_login(commissioner)
    session = client.session
    session[SESSION_KEY] = provider.pk
    session.save()
    assert client.get(url("pipeline")).status_code == 403


@pytest.mark.parametrize("slug", SLUGS)
def test_every_report_has_a_captioned_table_and_a_link_to_its_csv(client, commissioner, dataset,
                                                                   slug):
    client.force_login(commissioner)
    response = client.get(url(slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<caption class="govuk-table__caption' in html
    assert "format=csv" in html
    assert "Reports" in [item["label"] for item in response.context["navigation_items"]]


def test_authority_staff_see_only_their_own_authority(client, commissioner, authority,
                                                       other_authority, dataset):
    client.force_login(commissioner)
    rows = read_csv(client.get(url("suppliers", f"format=csv&authority={other_authority.pk}")))
    assert {row[0] for row in rows[1:]} == {authority.name}
    bids = read_csv(client.get(url("bids", "format=csv")))
    assert [row[0] for row in bids[1:]] == ["A-2", "A-1"]


def test_platform_admins_see_every_authority_and_can_pick_one(client, platform_admin, authority,
                                                               other_authority, dataset):
    client.force_login(platform_admin)
    rows = read_csv(client.get(url("time-to-award", "format=csv")))
    assert rows[0] == ["Authority", "Awards", "Mean (days)", "Median (days)"]
    assert rows[1:] == [[authority.name, "2", "50.0", "50.0"],
                        [other_authority.name, "1", "30.0", "30.0"],
                        ["All authorities", "3", "43.3", "40.0"]]
    query = f"format=csv&authority={other_authority.pk}"
    picked = read_csv(client.get(url("time-to-award", query)))
    assert picked[1:] == [[other_authority.name, "1", "30.0", "30.0"]]


def test_the_csv_is_a_utf8_attachment_with_plain_numbers(client, commissioner, dataset):
    client.force_login(commissioner)
    response = client.get(url("pipeline", "format=csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="pipeline-')
    rows = read_csv(response)
    assert rows[0] == ["Status", "Procedure", "Tenders", "Estimated value excluding VAT"]
    assert rows[-1] == ["Total", "", "4", "570000.00"]


def test_formulas_in_titles_are_neutralised_in_the_csv(client, commissioner, authority, provider):
    hostile = tender(authority, created=noon(1, 1), value="1.00", reference="=HYPERLINK(1)",
                     published_at=noon(1, 1), deadline=noon(2, 1))
    bid(hostile, provider)
    client.force_login(commissioner)
    rows = read_csv(client.get(url("bids", "format=csv")))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_the_date_filter_narrows_and_a_backwards_range_is_explained(client, commissioner,
                                                                     dataset):
    client.force_login(commissioner)
    narrow = "start_day=1&start_month=1&start_year=2026&end_day=8&end_month=1&end_year=2026"
    rows = read_csv(client.get(url("pipeline", f"format=csv&{narrow}")))
    assert rows[-1][:3] == ["Total", "", "2"]
    backwards = "start_day=9&start_month=1&start_year=2026&end_day=8&end_month=1&end_year=2026"
    response = client.get(url("pipeline", backwards))
    assert response.status_code == 200 and response.context["table"] is None
    assert "must be the same as or after" in response.content.decode()


def test_an_empty_report_says_so(client, commissioner):
    client.force_login(commissioner)
    response = client.get(url("suppliers"))
    assert "There is nothing to report" in response.content.decode()


def test_unknown_reports_are_not_found(client, commissioner):
    client.force_login(commissioner)
    assert client.get(url("secret-bids")).status_code == 404


@pytest.mark.parametrize("slug", SLUGS)
def test_query_counts_do_not_grow_with_the_data(client, platform_admin, authority, slug):
    client.force_login(platform_admin)
    client.get(url(slug))  # warm the session and content type caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(slug)).status_code == 200
        return len(queries)

    def add(number: int) -> None:
        made = tender(authority, created=noon(1, 1), value="10.00", reference=f"Q-{number}",
                      published_at=noon(1, 1), deadline=noon(2, 1))
        award(bid(made, factories.OrganisationFactory()), value="5.00", notice=noon(3, 1))

    add(0)
    before = count()
    for number in range(1, 8):
        add(number)
    assert count() == before
