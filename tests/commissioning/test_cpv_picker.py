"""The CPV picker: the CPV 2008 list as reference data, searchable by code or words, as a
plain form and live (htmx); tender pages name their codes in words."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from commissioning.models import CpvCode
from commissioning.services.cpv import cpv_codes_load
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db
PICKER = reverse("commissioning:cpv_picker")
SHARED = Path(settings.BASE_DIR).parent / "shared" / "reference" / "cpv-2008.csv"
SAMPLE = ('code,description\n85000000,"Health and social work services"\n'
          "85300000,Social work and related services\n85310000,Social work services\n"
          "85311000,Social work services with accommodation\n"
          '85312000,"Social work services without accommodation"\n'
          "90910000,Cleaning services\n")


@pytest.fixture
def codes():
    cpv_codes_load(io.StringIO(SAMPLE))


@pytest.mark.skipif(not SHARED.is_file(), reason="the shared reference list is not here")
def test_the_whole_cpv_2008_list_loads_and_reloads():
    out = io.StringIO()
    call_command("load_cpv_codes", stdout=out)
    assert CpvCode.objects.count() == 9455 and "Loaded 9455" in out.getvalue()
    assert CpvCode.objects.get(code="85310000").description == "Social work services"
    call_command("load_cpv_codes", stdout=io.StringIO())  # idempotent
    assert CpvCode.objects.count() == 9455


def test_a_broken_file_loads_nothing(tmp_path):
    bad = tmp_path / "cpv.csv"
    bad.write_text("code,description\n85310000,Social work services\nnot-a-code,Oops\n")
    with pytest.raises(CommandError, match="Line 3"):
        call_command("load_cpv_codes", path=str(bad))
    assert not CpvCode.objects.exists()


def test_search_by_first_digits_and_by_words(client, codes):
    page = client.get(PICKER, {"q": "8531"}).content.decode()
    assert "85311000" in page and "85312000" in page and "90910000" not in page
    page = client.get(PICKER, {"q": "social without"}).content.decode()
    assert "85312000" in page and "85311000" not in page
    assert f'{reverse("commissioning:tender_list")}?cpv=85312000' in page


def test_live_search_returns_only_the_results(client, codes):
    response = client.get(PICKER, {"q": "cleaning"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="cpv-results">') and "90910000" in body
    assert "<html" not in body


@pytest.mark.parametrize("junk", ["", "%%%", "'; drop table", "9" * 500, "--", "\x00"])
def test_junk_is_never_an_error(client, codes, junk):
    expected = 400 if "\x00" in junk else 200  # a NUL is refused by the middleware
    assert client.get(PICKER, {"q": junk}).status_code == expected


def test_the_tender_page_names_its_codes(client, codes):
    tender = cf.TenderFactory()
    cf.TenderCpvFactory(tender=tender, code="85312000-9")
    page = client.get(reverse("commissioning:tender_detail", args=[tender.pk])).content.decode()
    assert "85312000-9 Social work services without accommodation" in page
