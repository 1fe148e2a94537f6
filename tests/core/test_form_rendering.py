"""The GOV.UK form renderer, date field, components and template filters."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template import Context, Template, engines, loader
from django.test import RequestFactory
from django.urls import reverse

from core import navigation
from core.forms import GovukDateField
from core.templatetags.govuk import gbp, govuk_date, govuk_time


class Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)
        self.classes = set((self.attrs.get("class") or "").split())


class Page(HTMLParser):
    """Every element of a fragment of HTML, with its attributes."""

    def __init__(self, html):
        super().__init__()
        self.html = str(html)
        self.elements = []
        self.feed(self.html)

    def handle_starttag(self, tag, attrs):
        self.elements.append(Element(tag, attrs))

    def by_id(self, element_id):
        matches = [e for e in self.elements if e.attrs.get("id") == element_id]
        assert len(matches) == 1, f"expected one element with id {element_id!r}, got {len(matches)}"
        return matches[0]

    def with_class(self, css_class):
        return [e for e in self.elements if css_class in e.classes]

    def summary_links(self):
        """The links of the error summary, in order."""
        start = self.html.index('class="govuk-error-summary"')
        summary = Page(self.html[start : self.html.index("</ul>", start)])
        return [e.attrs["href"] for e in summary.elements if e.tag == "a"]


class ApplicationForm(forms.Form):
    organisation_name = forms.CharField(help_text="As it appears on the register")
    sector = forms.ChoiceField(
        choices=[("health", "Health"), ("housing", "Housing")], widget=forms.RadioSelect
    )
    services = forms.MultipleChoiceField(
        choices=[("advice", "Advice"), ("care", "Care")], widget=forms.CheckboxSelectMultiple
    )
    start_date = GovukDateField(label="Start date")
    notes = forms.CharField(widget=forms.Textarea, required=False)

    def clean(self):
        raise forms.ValidationError("The application is closed")


@pytest.fixture
def invalid_form():
    form = ApplicationForm(
        data={"start_date_day": "30", "start_date_month": "2", "start_date_year": "2025"}
    )
    assert not form.is_valid()
    return form


def test_error_summary_links_point_at_inputs_that_exist(invalid_form):
    page = Page(invalid_form)
    links = page.summary_links()
    assert links == ["#id_organisation_name", "#id_sector_0", "#id_services_0", "#id_start_date_0"]
    for link in links:
        target = page.by_id(link[1:])
        assert target.tag == "input"
    assert page.by_id("id_sector_0").attrs["type"] == "radio"
    assert page.by_id("id_services_0").attrs["type"] == "checkbox"
    assert page.by_id("id_start_date_0").attrs["name"] == "start_date_day"


def test_non_field_errors_are_listed_in_the_summary_without_a_link(invalid_form):
    html = str(invalid_form)
    summary = html[: html.index("</ul>")]
    assert "<li>The application is closed</li>" in summary
    assert html.index("govuk-error-summary") < html.index('id="id_organisation_name"')


def test_fields_with_errors_are_marked_up_and_described(invalid_form):
    page = Page(invalid_form)
    text_input = page.by_id("id_organisation_name")
    assert {"govuk-input", "govuk-input--error"} <= text_input.classes
    described_by = text_input.attrs["aria-describedby"].split()
    assert described_by == ["id_organisation_name_helptext", "id_organisation_name_error"]
    assert "govuk-hint" in page.by_id("id_organisation_name_helptext").classes
    assert "govuk-error-message" in page.by_id("id_organisation_name_error").classes
    assert len(page.with_class("govuk-form-group--error")) == 4
    assert 'class="govuk-visually-hidden">Error:</span> This field is required.' in str(
        invalid_form
    )
    # Radios, checkboxes and dates are described from their fieldset, not each input.
    fieldsets = [e for e in page.elements if e.tag == "fieldset"]
    assert [f.attrs.get("aria-describedby") for f in fieldsets] == [
        "id_sector_error",
        "id_services_error",
        "id_start_date_error",
    ]
    for fieldset_error in ("id_sector_error", "id_services_error", "id_start_date_error"):
        page.by_id(fieldset_error)


def test_valid_fields_have_no_error_classes_and_optional_fields_say_so():
    form = ApplicationForm()
    page = Page(form)
    assert not page.with_class("govuk-error-summary")
    assert not page.with_class("govuk-form-group--error")
    assert "govuk-textarea" in page.by_id("id_notes").classes
    assert "Notes (optional)" in str(form)
    assert "required" not in page.by_id("id_organisation_name").attrs


def test_widgets_keep_autocomplete_and_get_govuk_classes():
    class ContactForm(forms.Form):
        email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
        team = forms.ChoiceField(choices=[("a", "A")])
        agree = forms.BooleanField(label="I agree to the terms")
        document = forms.FileField()
        password = forms.CharField(
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
        )

    page = Page(ContactForm())
    email = page.by_id("id_email")
    assert email.attrs["autocomplete"] == "email" and "govuk-input" in email.classes
    assert "govuk-select" in page.by_id("id_team").classes
    assert "govuk-checkboxes__input" in page.by_id("id_agree").classes
    assert "govuk-file-upload" in page.by_id("id_document").classes
    password = page.by_id("id_password")
    assert "govuk-password-input__input" in password.classes
    assert password.attrs["autocomplete"] == "new-password"


class DateForm(forms.Form):
    when = GovukDateField(
        label="Contract start date",
        min_date=datetime.date(2020, 1, 1),
        max_date=datetime.date(2030, 12, 31),
    )


def clean_date(day, month, year):
    form = DateForm(data={"when_day": day, "when_month": month, "when_year": year})
    return form.is_valid(), form.cleaned_data.get("when"), form.errors.get("when", [])


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("5", "11", "2026", datetime.date(2026, 11, 5)),
        (" 29 ", "02", "2028", datetime.date(2028, 2, 29)),
        ("1", "Feb", "2027", datetime.date(2027, 2, 1)),
        ("1", "september", "2027", datetime.date(2027, 9, 1)),
    ],
)
def test_date_field_returns_a_date(day, month, year, expected):
    valid, value, errors = clean_date(day, month, year)
    assert valid, errors
    assert value == expected


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("29", "2", "2027", "Contract start date must be a real date"),
        ("31", "4", "2026", "Contract start date must be a real date"),
        ("0", "1", "2026", "Contract start date must be a real date"),
        ("1", "13", "2026", "Contract start date must be a real date"),
        ("first", "1", "2026", "Contract start date must be a real date"),
        ("1", "", "2026", "Contract start date must include a month"),
        ("", "6", "", "Contract start date must include a day and year"),
        ("1", "6", "26", "Year must include 4 numbers"),
        ("", "", "", "Enter contract start date"),
        ("31", "12", "2019", "Contract start date must be the same as or after 1 January 2020"),
        ("1", "1", "2031", "Contract start date must be the same as or before 31 December 2030"),
    ],
)
def test_date_field_rejects_dates_that_are_not_real(day, month, year, message):
    valid, value, errors = clean_date(day, month, year)
    assert not valid
    assert value is None
    assert errors == [message]


def test_optional_date_field_can_be_left_empty():
    class OptionalDateForm(forms.Form):
        when = GovukDateField(required=False)

    form = OptionalDateForm(data={"when_day": "", "when_month": "", "when_year": ""})
    assert form.is_valid()
    assert form.cleaned_data["when"] is None


def test_date_field_redisplays_what_was_typed_and_initial_dates():
    form = DateForm(data={"when_day": "31", "when_month": "2", "when_year": "2026"})
    page = Page(form)
    assert page.by_id("id_when_0").attrs["value"] == "31"
    assert page.by_id("id_when_1").attrs["value"] == "2"
    assert {"govuk-input--width-4", "govuk-input--error"} <= page.by_id("id_when_2").classes
    initial = Page(DateForm(initial={"when": datetime.date(2026, 11, 21)}))
    assert [initial.by_id(f"id_when_{i}").attrs["value"] for i in range(3)] == ["21", "11", "2026"]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1234.5"), "£1,234.50"),
        (Decimal("0"), "£0.00"),
        (Decimal("1234567.891"), "£1,234,567.89"),
        (Decimal("0.005"), "£0.01"),
        (Decimal("-42.1"), "-£42.10"),
        (12, "£12.00"),
        ("99.99", "£99.99"),
        (None, ""),
        ("", ""),
        ("not money", ""),
    ],
)
def test_gbp_formats_pounds_and_pence(amount, expected):
    assert gbp(amount) == expected


def test_gbp_in_a_template_and_in_whole_pounds():
    rendered = Template("{% load govuk %}{{ a|gbp }} {{ a|gbp:False }}").render(
        Context({"a": Decimal("2500000.50")})
    )
    assert rendered == "£2,500,000.50 £2,500,001"


def test_govuk_dates_and_times():
    assert govuk_date(datetime.date(2026, 11, 21)) == "21 November 2026"
    assert govuk_time(datetime.time(12, 0)) == "midday"
    assert govuk_time(datetime.time(14, 30)) == "2:30pm"
    assert govuk_time(datetime.time(9, 0)) == "9am"
    # Stored in UTC, shown in Europe/London (BST in June).
    moment = datetime.datetime(2026, 6, 1, 8, 0, tzinfo=datetime.UTC)
    assert govuk_date(moment, True) == "1 June 2026 at 9am"


def test_pagination_keeps_the_filters_in_the_query_string():
    request = RequestFactory().get("/tenders/", {"status": "open", "q": "care homes", "page": "2"})
    page_obj = Paginator(list(range(100)), 10).get_page(2)
    html = Template(
        '{% include "components/govuk/pagination.html" '
        "with page_obj=page_obj request=request only %}"
    ).render(Context({"page_obj": page_obj, "request": request}))
    links = [e.attrs for e in Page(html).elements if e.tag == "a"]
    assert links[0]["rel"] == "prev"
    assert links[0]["href"] == "?status=open&q=care+homes&page=1"
    assert links[-1]["rel"] == "next"
    assert links[-1]["href"] == "?status=open&q=care+homes&page=3"
    current = [link for link in links if link.get("aria-current") == "page"]
    assert [link["aria-label"] for link in current] == ["Page 2"]
    assert "govuk-pagination__item--ellipsis" in html
    assert 'aria-label="Page 10"' in html


def test_pagination_is_hidden_for_a_single_page():
    page_obj = Paginator([1, 2], 10).get_page(1)
    html = Template('{% include "components/govuk/pagination.html" with page_obj=page_obj only %}')
    assert html.render(Context({"page_obj": page_obj})).strip() == ""


def test_summary_list_marks_rows_without_actions():
    html = Template(
        '{% include "components/govuk/summary_list.html" with rows=rows only %}'
    ).render(
        Context(
            {
                "rows": [
                    {
                        "key": "Name",
                        "value": "Riverside Care",
                        "action_href": "/edit/",
                        "action_label": "Change",
                    },
                    {"key": "Status", "value": "<b>Verified</b>"},
                ]
            }
        )
    )
    assert (
        '<a class="govuk-link" href="/edit/">Change'
        '<span class="govuk-visually-hidden"> name</span></a>' in html
    )
    assert "govuk-summary-list__row--no-actions" in html
    assert "&lt;b&gt;Verified&lt;/b&gt;" in html


# Pages: the base template, allauth pages and error pages.

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>")


def assert_csp_safe_page(response):
    html = response.content.decode()
    inline_scripts = INLINE_SCRIPT.findall(html)
    inline_scripts = [attrs for attrs in inline_scripts if "application/json" not in attrs]
    assert len(inline_scripts) == 1, inline_scripts
    nonce = re.search(r'nonce="([^"]+)"', inline_scripts[0]).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert not re.search(r"\sstyle=", html), "inline style attribute"
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert '<script type="module" src="/static/build/portal.js"></script>' in html
    return html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/accessibility/",
        "/privacy/",
        "/cookies/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ],
)
def test_pages_use_the_govuk_template_without_inline_code(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = assert_csp_safe_page(response)
    page = Page(html)
    assert page.by_id("main-content").tag == "main"
    skip_link = page.with_class("govuk-skip-link")[0]
    assert skip_link.attrs["href"] == "#main-content"
    assert len([e for e in page.elements if e.tag == "h1"]) == 1
    footer_links = {e.attrs.get("href") for e in page.elements if "govuk-footer__link" in e.classes}
    assert {"/accessibility/", "/privacy/", "/cookies/"} <= footer_links
    assert "GDS Transport" not in html and "govuk-logo" not in html


@pytest.mark.django_db
def test_failed_sign_in_shows_an_error_summary_and_error_title(client):
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    html = assert_csp_safe_page(response)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("Error: Sign in – ")
    page = Page(html)
    links = page.summary_links()
    assert links == ["#id_login", "#id_password"]
    for link in links:
        assert page.by_id(link[1:]).tag == "input"


@pytest.mark.django_db
def test_unknown_page_uses_the_404_template(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in assert_csp_safe_page(response)


def test_500_page_renders_without_a_request_or_context_processors():
    html = loader.get_template("500.html").render()
    assert "Sorry, there is a problem with the service" in html
    assert "<script" not in html
    assert "/static/build/portal.css" in html


def test_429_page_explains_what_to_do():
    request = RequestFactory().get("/accounts/login/")
    request.user = AnonymousUser()
    html = loader.render_to_string("429.html", request=request)
    assert "Too many attempts" in html
    assert reverse("account_reset_password") in html


@pytest.fixture
def empty_navigation(monkeypatch):
    """A navigation registry of the test's own, so other apps' entries neither run nor leak."""
    monkeypatch.setattr(navigation, "_entries", {})


def render_base(user=None, **request_attributes):
    """base.html for a request, as the middleware and context processors would see it."""
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    for name, value in request_attributes.items():
        setattr(request, name, value)
    return engines["django"].from_string('{% extends "base.html" %}').render({}, request)


def signed_in_user():
    return SimpleNamespace(
        is_authenticated=True, get_full_name="Ada Lovelace", email="ada@example.org"
    )


@pytest.mark.usefixtures("empty_navigation")
def test_organisation_switcher_appears_only_with_several_organisations():
    organisation = SimpleNamespace(name="Riverside Care Mutual")
    several = render_base(
        user=signed_in_user(),
        current_organisation=organisation,
        user_organisations=[organisation, SimpleNamespace(name="Other")],
    )
    assert "Riverside Care Mutual" in several
    assert f'href="{reverse("organisations:switch")}"' in several
    one = render_base(
        user=signed_in_user(), current_organisation=organisation, user_organisations=[organisation]
    )
    assert "Riverside Care Mutual" in one
    assert reverse("organisations:switch") not in one
    assert "app-organisation-bar" not in render_base(user=signed_in_user())


@pytest.mark.usefixtures("empty_navigation")
def test_header_signs_out_with_a_post_form():
    html = render_base(user=signed_in_user())
    assert "Ada Lovelace" in html
    form = re.search(r'<form method="post" action="([^"]+)"', html)
    assert form and form.group(1) == reverse("account_logout")
    assert reverse("account_login") not in html


@pytest.mark.usefixtures("empty_navigation")
def test_navigation_marks_the_current_section_and_hides_what_the_user_cannot_see():
    navigation.register(label="Home", url_name="core:home", visible=lambda r: True, order=0)
    navigation.register(
        label="Notifications", url_name="core:notifications", visible=lambda request: True, order=50
    )
    navigation.register(
        label="Dashboard", url_name="core:dashboard", visible=lambda request: False, order=10
    )
    navigation.register(
        label="Not mounted", url_name="core:no_such_page", visible=lambda request: True
    )
    request = RequestFactory().get(reverse("core:notifications") + "?page=2")
    items = navigation.items_for(request)
    assert [item["label"] for item in items] == ["Home", "Notifications"]
    assert [item["active"] for item in items] == [False, True]
    at_home = navigation.items_for(RequestFactory().get("/"))
    assert [item["active"] for item in at_home] == [True, False]
