"""Open data that can be found: the /ocds/ page, links to it, request-built URLs, no page=."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.ocds import release_store
from tests.commissioning import ocds_support as support
from tests.commissioning.ocds_support import no_network  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]
INDEX = reverse("commissioning:ocds_index")
RELEASES = reverse("commissioning:ocds_releases")
RECORDS = reverse("commissioning:ocds_records")


def test_the_landing_page_says_what_is_published_where_and_under_which_licence(client):
    tender = support.open_tender()
    release_store(tender=tender, tags=["tender"])
    release_store(tender=tender, tags=["tenderUpdate"])
    html = client.get(INDEX).content.decode()
    assert "2 releases about 1 contracting process," in html
    assert f'href="{RELEASES}"' in html and f'href="{RECORDS}"' in html
    assert "Open Government Licence v3.0" in html
    assert "page=</code> is refused" in html
    assert "Download everything" in html


def test_the_landing_page_before_anything_is_published(client):
    html = client.get(INDEX).content.decode()
    assert "Nothing has been published yet." in html


@override_settings(OCDS_BULK_URL="https://data.example.org/ocds")
def test_the_landing_page_links_the_bulk_files_when_the_operator_serves_them(client):
    html = client.get(INDEX).content.decode()
    assert 'href="https://data.example.org/ocds/releases.json"' in html
    assert 'href="https://data.example.org/ocds/records.json"' in html


def test_the_landing_page_costs_the_same_queries_however_much_is_published(client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INDEX).status_code == 200
        return len(queries)

    release_store(tender=support.open_tender(), tags=["tender"])
    few = count()
    for _ in range(3):
        release_store(tender=support.open_tender(), tags=["tender"])
    assert count() == few


def test_the_footer_and_every_tender_page_link_to_it(client):
    tender = support.open_tender()
    release_store(tender=tender, tags=["tender"])
    tender.refresh_from_db()
    assert f'href="{INDEX}">Open data</a>' in client.get("/").content.decode()
    page = client.get(reverse("commissioning:tender_detail", args=[tender.pk])).content.decode()
    assert f'href="{INDEX}"' in page
    assert f'href="{reverse("commissioning:ocds_record", args=[tender.ocid])}"' in page


@pytest.mark.parametrize("url", [RELEASES, RECORDS])
def test_page_numbers_are_refused_with_a_clear_400(client, url):
    release_store(tender=support.open_tender(), tags=["tender"])
    response = client.get(url, {"page": "2"})
    assert response.status_code == 400
    assert "follow links.next" in response.json()["error"]


@override_settings(DEBUG=True, PORTAL_BASE_URL="http://127.0.0.1:8000",
                   ALLOWED_HOSTS=["127.0.0.1"])
def test_in_development_uris_and_next_links_use_the_requests_host_and_port(client):
    for _ in range(2):
        release_store(tender=support.open_tender(), tags=["tender"])
    package = client.get(RELEASES, {"limit": "1"}, HTTP_HOST="127.0.0.1:8010").json()
    assert package["uri"] == f"http://127.0.0.1:8010{RELEASES}?limit=1"
    assert package["links"]["next"].startswith(f"http://127.0.0.1:8010{RELEASES}?limit=1&cursor=")
    records = client.get(RECORDS, HTTP_HOST="127.0.0.1:8010").json()
    assert records["records"][0]["releases"][0]["url"].startswith("http://127.0.0.1:8010/ocds/")


@override_settings(DEBUG=False, PORTAL_BASE_URL="https://portal.example.org",
                   ALLOWED_HOSTS=["portal.example.org", "other.example.org"])
def test_in_production_uris_stay_canonical_whatever_host_is_asked(client):
    for _ in range(2):
        release_store(tender=support.open_tender(), tags=["tender"])
    package = client.get(RELEASES, {"limit": "1"}, HTTP_HOST="other.example.org").json()
    assert package["uri"] == f"https://portal.example.org{RELEASES}?limit=1"
    assert package["links"]["next"].startswith(f"https://portal.example.org{RELEASES}")
