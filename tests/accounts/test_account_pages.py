"""Account pages that look like the portal: sentence case, header link, emails naming it."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from core.templatetags.govuk import sentence_case
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("title, expected", [
    ("Sign In", "Sign in"),
    ("Two-Factor Authentication", "Two-factor authentication"),
    ("Activate Authenticator App", "Activate authenticator app"),
    ("Set Up TOTP With WebAuthn", "Set up TOTP with WebAuthn"),
    ('<span class="x">Recovery Codes</span>', '<span class="x">Recovery codes</span>'),
    ("  Email Addresses ", "  Email addresses "),
])
def test_sentence_case(title, expected):
    assert sentence_case(title) == expected


@override_settings(PORTAL_NAME="Northshire Commissioning Portal")
def test_sentence_case_keeps_the_portals_name():
    assert sentence_case("Welcome To Northshire Commissioning Portal") == (
        "Welcome to Northshire Commissioning Portal")


def _headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip()
            for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)]


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


@pytest.mark.parametrize("url_name, heading", [
    ("account_login", "Sign in"),
    ("account_signup", "Sign up"),
    ("account_reset_password", "Password reset"),
])
def test_public_account_pages_use_sentence_case_in_the_portal_layout(client, url_name,
                                                                      heading):
    html = client.get(reverse(url_name)).content.decode()
    assert _headings(html) == [heading]
    assert _title(html).startswith(f"{heading} – ")
    assert 'class="govuk-header"' in html and 'class="govuk-footer"' in html
    assert "govuk-button" in html


@pytest.mark.parametrize("url_name, heading", [
    ("account_email", "Email addresses"),
    ("account_change_password", "Change password"),
    ("mfa_index", "Two-factor authentication"),
])
def test_account_settings_are_linked_from_the_header_and_use_sentence_case(
        client, provider_admin, url_name, heading):
    client.force_login(provider_admin)
    home = client.get("/").content.decode()
    header = home.split('class="govuk-header"', 1)[1].split("</header>", 1)[0]
    assert f'href="{reverse("account_email")}">Account settings</a>' in header
    html = client.get(reverse(url_name)).content.decode()
    assert _headings(html) == [heading]
    settings_menu = html.split('aria-label="Account settings"', 1)[1].split("</nav>", 1)[0]
    for link in ("Email addresses", "Change password", "Two-factor authentication"):
        assert link in settings_menu


def test_signed_out_visitors_get_no_account_settings_link(client):
    assert "Account settings" not in client.get("/").content.decode()


@override_settings(PORTAL_NAME="Northshire Commissioning Portal",
                   PORTAL_BASE_URL="https://portal.northshire.example.org",
                   ALLOWED_HOSTS=["127.0.0.1"])
def test_account_emails_name_the_portal_and_its_address_not_the_request_host(client):
    client.post(reverse("account_signup"), {
        "full_name": "Ada Lovelace", "email": "ada@example.org",
        "password1": "a-long-enough-password", "password2": "a-long-enough-password",
    }, HTTP_HOST="127.0.0.1:8010")
    body = mail.outbox[-1].body
    assert body.startswith("Northshire Commissioning Portal")
    assert "portal.northshire.example.org" in body
    assert "Hello from" not in body and "127.0.0.1:8010!" not in body
    assert "register an account on 127.0.0.1" not in body
    assert mail.outbox[-1].subject.startswith("[Northshire Commissioning Portal] ")


def test_password_reset_email_names_the_portal(client):
    person = factories.UserFactory(email="sam@example.org")
    client.post(reverse("account_reset_password"), {"email": person.email})
    body = mail.outbox[-1].body
    assert "Hello from" not in body
    assert body.splitlines()[0] == "Collaborative Commissioning Portal"
