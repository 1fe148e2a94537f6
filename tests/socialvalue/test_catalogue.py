"""The catalogue: the shipped Social Value Model, authorities' imports, proxy versions."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from socialvalue import services
from socialvalue.models import Framework, Measure, Outcome, ProxyValue, Theme
from tests.socialvalue.conftest import LOCAL_ROWS, entry, local_csv

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


OPEN_SOURCES = ("ONS, Annual Survey of Hours and Earnings", "DESNZ (then BEIS), Valuation of "
                "greenhouse gas emissions", "HM Treasury, Green Book")


def test_the_shipped_proxy_values_are_open_with_source_year_and_licence(national):
    proxies = {p.measure.code: p for p in ProxyValue.objects.filter(
        measure__outcome__theme__framework=national).select_related("measure")}
    expected = {"CP-2.1-A": ("37430.00", 2024), "CP-2.1-B": ("37430.00", 2024),
                "CP-4.1-A": ("37430.00", 2024), "CP-4.2-A": ("37430.00", 2024),
                "CP-3.1-A": ("241.00", 2020), "CP-5.1-B": ("13000.00", 2019)}
    assert {code: (str(p.value), p.price_base_year) for code, p in proxies.items()} == expected
    for proxy in proxies.values():
        assert proxy.licence == "Open Government Licence v3.0"
        assert proxy.source.startswith(OPEN_SOURCES), proxy.source
    assert proxies["CP-5.1-B"].measure.unit == Measure.Unit.WELLBY
    assert proxies["CP-3.1-A"].measure.unit == Measure.Unit.TONNES_CO2E


def test_measures_without_an_open_value_stay_unmonetised_and_no_toms_or_hact(national):
    unpriced = set(Measure.objects.filter(outcome__theme__framework=national,
                                          proxy_values__isnull=True)
                   .values_list("code", flat=True))
    assert {"CP-2.1-C", "CP-2.2-A", "CP-5.1-A", "CP-5.2-A"} <= unpriced
    text = services.catalogue.NATIONAL_FILE.read_text()
    assert "TOMs" not in text and "HACT" not in text and "Social Value Bank" not in text


def test_a_catalogue_loaded_before_the_values_shipped_gains_them_once(national):
    ProxyValue.objects.all().delete()
    call_command("load_social_value_model", stdout=StringIO())
    call_command("load_social_value_model", stdout=StringIO())
    assert ProxyValue.objects.count() == 6
    assert set(ProxyValue.objects.values_list("version", flat=True)) == {1}


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


@pytest.mark.parametrize(("code", "quantity", "formula"), [
    ("CP-3.1-A", "12", "12.00 × £241.00 × (1 − 0%) × 100% = £2,892.00"),
    ("CP-2.1-B", "6", "6.00 × £37,430.00 × (1 − 0%) × 100% = £224,580.00"),
    ("CP-5.1-B", "2.5", "2.50 × £13,000.00 × (1 − 0%) × 100% = £32,500.00"),
])
def test_a_plan_choosing_a_shipped_measure_gives_a_monetised_indicator(
        national, authority, commissioner, code, quantity, formula):
    measure = Measure.objects.get(outcome__theme__framework=national, code=code)
    plan = services.plan_create(actor=commissioner, authority=authority)
    services.plan_measure_add(actor=commissioner, plan=plan, measure=measure, relevance="Yes")
    chosen = plan.measures.get()
    assert chosen.proxy_value.licence == "Open Government Licence v3.0"
    money = services.commitments_monetise(plan=plan, entries=[entry(chosen, quantity=quantity)])
    assert money[chosen.pk].formula == formula
