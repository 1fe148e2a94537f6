"""The catalogue: the shipped Social Value Model, authorities' imports, proxy versions."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from socialvalue import services
from socialvalue.models import Framework, Measure, Outcome, ProxyValue, Theme
from tests.socialvalue.conftest import LOCAL_ROWS, local_csv

pytestmark = pytest.mark.django_db


def test_the_social_value_model_loads_themes_outcomes_and_example_measures(national):
    assert national.authority is None
    assert "Open Government Licence v3.0" in national.licence
    themes = set(Theme.objects.filter(framework=national).values_list("name", flat=True))
    assert {"Tackling economic inequality", "Fighting climate change", "Equal opportunity",
            "Wellbeing"} <= themes
    outcomes = set(Outcome.objects.filter(theme__framework=national).values_list("name",
                                                                                 flat=True))
    assert "Reduce the disability employment gap" in outcomes
    assert "Effective stewardship of the environment" in outcomes
    assert Outcome.objects.filter(theme__framework=national).count() == 8
    assert Measure.objects.filter(outcome__theme__framework=national).count() >= 10


def test_the_shipped_catalogue_has_no_proxy_values_and_no_toms_or_hact(national):
    assert not ProxyValue.objects.exists()
    text = services.catalogue.NATIONAL_FILE.read_text()
    assert "TOMs" not in text and "HACT" not in text


def test_loading_again_changes_nothing(national, capsys):
    call_command("load_social_value_model")
    assert Framework.objects.count() == 1
    assert Measure.objects.count() == Measure.objects.filter(
        outcome__theme__framework=national).count()
    assert "created 0 themes, 0 outcomes, 0 measures" in capsys.readouterr().out


def test_an_authority_imports_its_own_framework_with_proxies(local_framework, authority):
    assert local_framework.authority == authority
    proxy = ProxyValue.objects.get(measure__code="L1")
    assert (proxy.version, proxy.value, proxy.price_base_year) == (1, Decimal("1000.00"), 2025)
    assert proxy.source == "Northby unit costs" and proxy.licence == "Licensed to Northby"


def test_a_bad_row_is_reported_with_row_column_and_message(authority, commissioner):
    bad = LOCAL_ROWS[1].replace("fte_years", "furlongs")
    report = services.catalogue_import(actor=commissioner, authority=authority,
                                       text=local_csv(LOCAL_ROWS[0], bad))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "unit")]
    assert "Unit must be one of" in report.errors[0].message


@pytest.mark.parametrize("change, column", [
    (lambda r: r.replace(",1000,", ",-5,"), "proxy_value"),
    (lambda r: r.replace(",2025,", ",1850,"), "proxy_price_base_year"),
    (lambda r: r.replace(",Licensed to Northby", ","), "proxy_licence"),
    (lambda r: r.replace(",L1,", ",,"), "measure_code"),
    (lambda r: r.replace(",no,yes,", ",maybe,yes,"), "first_year_only"),
])
def test_each_row_is_validated(authority, commissioner, change, column):
    report = services.catalogue_import(actor=commissioner, authority=authority,
                                       text=local_csv(change(LOCAL_ROWS[0])))
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]


def test_a_file_with_one_bad_row_imports_nothing(authority, commissioner):
    rows = [*LOCAL_ROWS[:3], LOCAL_ROWS[3].replace(",0.05,", ",lots,")]
    report = services.catalogue_import(actor=commissioner, authority=authority,
                                       text=local_csv(*rows))
    assert [(e.row, e.column) for e in report.errors] == [(5, "proxy_value")]
    assert not Framework.objects.exists() and not Measure.objects.exists()
    assert not ProxyValue.objects.exists()


def test_conflicts_with_what_is_stored_roll_back_the_whole_file(local_framework, authority,
                                                                commissioner):
    renamed = LOCAL_ROWS[3].replace("Local spend any size", "Renamed")
    new_row = LOCAL_ROWS[0].replace(",L1,Local FTE jobs", ",L9,New measure")
    report = services.catalogue_import(actor=commissioner, authority=authority,
                                       text=local_csv(new_row, renamed))
    assert [(e.row, e.column) for e in report.errors] == [(3, "measure_name")]
    assert not Measure.objects.filter(code="L9").exists()


def test_missing_columns_are_reported_on_the_header_row(authority, commissioner):
    report = services.catalogue_import(actor=commissioner, authority=authority,
                                       text="framework_name,unit\nA,people\n")
    assert report.errors[0].row == 1 and "theme_code" in report.errors[0].column


def test_a_new_proxy_value_is_a_new_version_and_never_overwrites(local_framework, authority,
                                                                  commissioner):
    services.catalogue_import(actor=commissioner, authority=authority,
                              text=local_csv(LOCAL_ROWS[0].replace(",1000,", ",1100,")))
    versions = list(ProxyValue.objects.filter(measure__code="L1").order_by("version")
                    .values_list("version", "value"))
    assert versions == [(1, Decimal("1000.00")), (2, Decimal("1100.00"))]
    services.catalogue_import(actor=commissioner, authority=authority,
                              text=local_csv(LOCAL_ROWS[0].replace(",1000,", ",1100,")))
    assert ProxyValue.objects.filter(measure__code="L1").count() == 2


def test_a_plan_keeps_the_proxy_version_it_pinned(plan, authority, commissioner):
    pinned = plan.measures.get(measure__code="L1").proxy_value
    services.catalogue_import(actor=commissioner, authority=authority,
                              text=local_csv(LOCAL_ROWS[0].replace(",1000,", ",1500,")))
    assert plan.measures.get(measure__code="L1").proxy_value == pinned
    assert pinned.value == Decimal("1000.00")
