"""Small faults fixed once, in the shared renderer, layout and date filters."""

import datetime
import pathlib
import re
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.template import engines
from django.test import override_settings

from core import opportunities
from core.templatetags.govuk import govuk_date
from organisations.forms import OrganisationForm

LONDON = ZoneInfo("Europe/London")


class ChoicesForm(forms.Form):
    procedure = forms.ChoiceField(choices=[("", "---------"), ("open", "Open procedure"),
                                           ("flexible", "Competitive flexible procedure")],
                                  widget=forms.RadioSelect, label="Procedure")
    website = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")
    notes = forms.CharField(label="Notes", required=False)
    criterion = forms.ChoiceField(choices=[("", "Not linked yet"), ("1", "Quality")],
                                  required=False, label="Question 1")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].govuk_needed_later = True


def test_optional_is_said_once_and_not_for_a_field_needed_later():
    html = str(ChoicesForm())
    assert "Website (optional)" in html and "(optional) (optional)" not in html
    assert "Notes (optional)" in html
    assert "Question 1</label>" in html  # publishing needs it: not called optional


def test_required_radios_have_no_blank_dash_option_and_nothing_preselected():
    form = ChoicesForm(data={"procedure": ""})
    html = str(form)
    radios = str(form["procedure"])
    assert "---------" not in radios
    assert 'value=""' not in radios and "checked" not in radios
    # The error summary still links to the first radio that is shown.
    assert 'href="#id_procedure_0"' in html
    first = re.search(r'<input[^>]*id="id_procedure_0"[^>]*>', html).group(0)
    assert 'value="open"' in first


@pytest.mark.django_db
def test_organisation_size_radios_start_empty():
    html = str(OrganisationForm()["size"])
    assert "---------" not in html and "checked" not in html


def test_dates_say_midday_and_5pm_not_p_m():
    noon = datetime.datetime(2027, 3, 5, 12, 0, tzinfo=LONDON)
    assert govuk_date(noon, True) == "5 March 2027 at midday"
    assert govuk_date(noon.replace(hour=17), True) == "5 March 2027 at 5pm"


@pytest.mark.django_db
def test_home_page_gives_closing_times_in_the_one_date_format(client, monkeypatch):
    closes = datetime.datetime(2099, 3, 5, 12, 0, tzinfo=LONDON)
    row = opportunities.Opportunity(title="Home care", url="/x/", kind="Tender",
                                    buyer="Example Council", closes_at=closes)
    monkeypatch.setattr(opportunities, "_sources", [lambda limit: [row]])
    html = client.get("/").content.decode()
    assert "Closes 5 March 2099 at midday." in html
    assert "p.m." not in html


def test_no_template_formats_a_time_with_am_pm_by_hand():
    """Times go through govuk_date/govuk_time ("at midday", "at 5pm"), never "12:00 p.m."."""
    root = pathlib.Path(settings.BASE_DIR)
    offenders = []
    for path in root.glob("**/templates/**/*.*"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for match in re.finditer(r'\|date:["\']([^"\']*)["\']', path.read_text()):
            if re.search(r"[aAP]", match.group(1)):
                offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert offenders == []


@pytest.mark.django_db
@override_settings(PORTAL_PHASE="beta", PORTAL_OPERATOR="Northshire County Council",
                   PORTAL_CONTACT_EMAIL="help@northshire.example")
def test_every_page_has_a_phase_banner_and_names_the_operator(client):
    html = client.get("/").content.decode()
    assert "govuk-phase-banner" in html and ">Beta</strong>" in html
    assert "mailto:help@northshire.example" in html
    assert "is run by Northshire County Council." in html


@pytest.mark.django_db
@override_settings(PORTAL_PHASE="", PORTAL_OPERATOR="")
def test_a_live_service_without_an_operator_shows_neither(client):
    html = client.get("/").content.decode()
    assert "govuk-phase-banner" not in html and "is run by" not in html


@override_settings(PORTAL_OPERATOR="Northshire County Council")
def test_the_error_page_names_the_operator_too():
    html = engines["django"].get_template("500.html").render({})
    assert "is run by Northshire County Council." in html


@pytest.mark.django_db
def test_tender_procedure_radios_start_empty_and_have_no_blank_option():
    from commissioning.forms.tenders import TenderForm

    procedure = str(TenderForm()["procedure"])
    assert "---------" not in procedure and "checked" not in procedure
    # A field with a default keeps it selected, still without a blank option.
    contract_type = str(TenderForm()["contract_type"])
    assert "---------" not in contract_type and contract_type.count("checked") == 1
