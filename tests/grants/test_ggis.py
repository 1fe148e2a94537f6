"""The GGIS award file: the columns GGIS needs, by award date, as CSV and XLSX, scoped to the
user's authority, with every column's source stated and bad dates refused plainly."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from core.spreadsheets import column_name, xlsx_bytes
from grants import ggis
from grants.models import Award
from tests.grants.test_payments import live_award  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
URL = reverse("grants:ggis_export")


def dates(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_has_the_ggis_columns_and_the_award(client, manager, live_award):  # noqa: F811
    client.force_login(manager)
    response = client.get(URL, {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="ggis-awards.csv"'
    header, row = csv_rows(response)
    record = dict(zip(header, row, strict=True))
    assert record["GGIS scheme ID"] == "GGIS-1234"
    assert record["Award reference"] == live_award.reference
    assert record["Recipient name"] == live_award.recipient.name
    assert record["Amount awarded (GBP)"] == "30000.00"
    assert record["Award date"] == live_award.awarded_on.isoformat()
    assert record["Competed"] == "No"  # a direct award
    assert record["Spend type"] in ("Resource", "Capital")


def test_the_date_filter_chooses_the_awards(client, manager, live_award):  # noqa: F811
    client.force_login(manager)
    day = live_award.awarded_on
    inside = {"format": "csv", **dates("awarded_from", day), **dates("awarded_to", day)}
    assert len(csv_rows(client.get(URL, inside))) == 2
    later = {"format": "csv", **dates("awarded_from", day + datetime.timedelta(days=1))}
    assert len(csv_rows(client.get(URL, later))) == 1  # the header only


def test_dates_in_the_wrong_order_or_unreal_are_refused_plainly(client, manager, live_award):  # noqa: F811
    client.force_login(manager)
    day = live_award.awarded_on
    backwards = {**dates("awarded_from", day), **dates("awarded_to", day
                                                       - datetime.timedelta(days=1))}
    response = client.get(URL, {**backwards, "format": "xlsx"})
    assert response.status_code == 400 and b"same as or after" in response.content
    page = client.get(URL, backwards)
    assert page.status_code == 200
    assert "must be the same as or after" in page.content.decode()
    unreal = client.get(URL, {"awarded_from_day": "31", "awarded_from_month": "2",
                              "awarded_from_year": "2026", "format": "csv"})
    assert unreal.status_code == 400


def test_the_xlsx_opens_as_a_workbook_with_the_same_rows(client, manager, live_award):  # noqa: F811
    client.force_login(manager)
    response = client.get(URL, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "GGIS scheme ID" in sheet and live_award.reference in sheet
    assert "<v>30000.00</v>" in sheet  # a number, not text


def test_another_authoritys_staff_see_none_of_these_awards(client, other_staff, live_award):  # noqa: F811
    client.force_login(other_staff)
    rows = csv_rows(client.get(URL, {"format": "csv"}))
    assert rows == [[column.title for column in ggis.COLUMNS]]


def test_the_page_lists_the_columns_with_their_sources(client, manager, live_award):  # noqa: F811
    client.force_login(manager)
    body = client.get(URL).content.decode()
    assert live_award.reference in body and "format=csv" in body and "format=xlsx" in body
    assert "Not verified" in body and "Verified" in body
    for column in ggis.COLUMNS:
        assert column.title in body


def test_a_formula_in_a_name_is_not_run_by_a_spreadsheet(live_award):  # noqa: F811
    live_award.recipient.name = "=HYPERLINK(\"http://x\")"
    rows = list(ggis.spreadsheet_rows([live_award]))
    assert rows[1][6] == "'=HYPERLINK(\"http://x\")"


def test_the_xlsx_writer_escapes_text_and_names_columns():
    data = xlsx_bytes([["A & B", "<x>"], [Decimal("1.50"), 2, None, "\x01bad"]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "A &amp; B" in sheet and "&lt;x&gt;" in sheet and "\x01" not in sheet
    assert [column_name(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]


def test_declined_awards_are_not_listed(client, manager, live_award):  # noqa: F811
    Award.objects.filter(pk=live_award.pk).update(status="declined")
    client.force_login(manager)
    assert len(csv_rows(client.get(URL, {"format": "csv"}))) == 1


@pytest.mark.parametrize("query", [
    {"awarded_from_day": "x", "awarded_from_month": "\x00", "awarded_from_year": "99999"},
    {"awarded_to_year": "0001", "awarded_to_month": "1", "awarded_to_day": "1",
     "format": "xlsx"},
    {"format": "pdf", "page": "-1"},
    {"awarded_from_day": "1" * 400, "format": "csv"},
])
def test_junk_is_a_page_or_a_plain_400_never_a_server_error(client, manager, query):
    client.force_login(manager)
    assert client.get(URL, query).status_code in (200, 400)
