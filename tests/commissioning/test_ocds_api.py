"""The public OCDS API: valid packages, cursor paging, constant queries, nothing unpublished."""

from __future__ import annotations

import datetime
import socket

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.ocds import release_store
from tests.commissioning import factories as cf
from tests.commissioning import ocds_support as support
from tests.commissioning.ocds_support import no_network  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]
RELEASES = reverse("commissioning:ocds_releases")
RECORDS = reverse("commissioning:ocds_records")


def published(count: int, *, tags=("tender",)) -> list:
    releases = []
    for _ in range(count):
        tender = support.open_tender()
        releases += [release_store(tender=tender, tags=[tag]) for tag in tags]
    return releases


def test_the_network_guard_refuses_remote_hosts():
    with pytest.raises(OSError, match="refused"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_the_release_package_is_public_and_valid(client):
    published(2)
    response = client.get(RELEASES)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    package = response.json()
    support.assert_valid_release_package(package)
    assert package["version"] == "1.1" and package["license"].startswith("https://")
    assert package["uri"].endswith(RELEASES) and "links" not in package


def test_pages_follow_the_cursor_to_the_end(client):
    releases = published(5)
    seen, url = [], f"{RELEASES}?limit=2"
    while url:
        package = client.get(url).json()
        seen += [release["id"] for release in package["releases"]]
        url = package.get("links", {}).get("next")
    assert seen == [release.release_id for release in releases]


def test_since_and_until_select_releases_by_date(client):
    old, new = published(2)
    old.date = timezone.now() - datetime.timedelta(days=10)
    old.save(update_fields=["date"])
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    assert [r["id"] for r in client.get(f"{RELEASES}?since={since}").json()["releases"]] == [
        new.release_id]
    assert [r["id"] for r in client.get(f"{RELEASES}?until={since}").json()["releases"]] == [
        old.release_id]


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "since=yesterday",
                                   "since=2026-01-01T10:00:00", "cursor=%%%", "cursor=WzFd"])
def test_bad_queries_are_refused_with_a_reason(client, query):
    response = client.get(f"{RELEASES}?{query}")
    assert response.status_code == 400
    assert response.json()["error"]


def test_the_release_list_costs_the_same_queries_for_one_or_many(client,
                                                                 django_assert_num_queries):
    published(1)
    with django_assert_num_queries(1):
        client.get(RELEASES)
    published(6, tags=("tender", "tenderUpdate"))
    with django_assert_num_queries(1):
        client.get(RELEASES)
    with django_assert_num_queries(2):
        client.get(RECORDS)
    published(4)
    with django_assert_num_queries(2):
        client.get(RECORDS)


def test_records_are_paged_by_ocid_and_valid(client):
    releases = published(3, tags=("tender", "tenderUpdate"))
    package = client.get(f"{RECORDS}?limit=2").json()
    support.assert_valid_record_package(package)
    assert len(package["records"]) == 2
    assert all(len(record["releases"]) == 2 for record in package["records"])
    rest = client.get(package["links"]["next"]).json()
    ocids = [r["ocid"] for r in package["records"] + rest["records"]]
    assert sorted(ocids) == sorted({release.ocid for release in releases})


def test_one_release_and_one_record_by_id(client):
    release = published(1, tags=("tender", "tenderUpdate"))[0]
    package = client.get(reverse("commissioning:ocds_release", args=[release.release_id])).json()
    support.assert_valid_release_package(package)
    assert [r["id"] for r in package["releases"]] == [release.release_id]
    record = client.get(reverse("commissioning:ocds_record", args=[release.ocid])).json()
    support.assert_valid_record_package(record)
    assert record["records"][0]["compiledRelease"]["tag"] == ["compiled"]


def test_unknown_ids_are_json_404s(client):
    for url in (reverse("commissioning:ocds_release", args=["ocds-zz9zz9-404-tender-1"]),
                reverse("commissioning:ocds_record", args=["ocds-zz9zz9-404"])):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["error"]


def test_drafts_never_appear_even_with_a_stray_release_row(client):
    draft = cf.DraftTenderFactory()
    stray = draft.releases.create(ocid="ocds-zz9zz9-stray", release_id="ocds-zz9zz9-stray-1",
                                  date=timezone.now(), tags=["tender"],
                                  payload={"ocid": "ocds-zz9zz9-stray"})
    assert client.get(RELEASES).json()["releases"] == []
    assert client.get(RECORDS).json()["records"] == []
    url = reverse("commissioning:ocds_release", args=[stray.release_id])
    assert client.get(url).status_code == 404
