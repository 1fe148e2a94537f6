"""Social value commitments checked as the bidder types (htmx), and the same without JavaScript."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.models import Bid
from commissioning.sealing import unseal
from commissioning.services import bids as services
from core.audit import AuditEntry
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf
from tests.socialvalue.conftest import local_framework, local_measures, plan, pm  # noqa: F401

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def sv_bid(plan, provider, provider_admin):  # noqa: F811
    tender = cf.TenderFactory(authority=plan.authority, social_value_plan=plan)
    return services.bid_start(tender=tender, organisation=provider, actor=provider_admin)


def typed(plan, **quantities):  # noqa: F811
    """The form as the bidder has it: every block's defaults, some commitments written out."""
    data = {}
    for plan_measure in plan.measures.all():
        prefix = f"m{plan_measure.pk}-"
        data |= {prefix + "deadweight": "0", prefix + "attribution": "100"}
    for code, quantity in quantities.items():
        prefix = f"m{pm(plan, code).pk}-"
        data |= {prefix + "quantity": quantity, prefix + "delivery_plan": "Recruit locally",
                 prefix + "owner_name": "Asha Khan", prefix + "milestones": "Quarterly",
                 prefix + "method_statement": "Payroll records", prefix + "is_local": "on"}
    return data


def check_url(bid):
    return reverse("commissioning:bid_social_value_check", args=[bid.pk])


def draft(bid):
    bid = Bid.objects.get(pk=bid.pk)
    return unseal(tender=bid.tender, blob=bid.sealed_content)


def test_the_page_asks_for_the_check_as_the_bidder_types_without_inline_script(
        client, provider_admin, sv_bid):
    client.force_login(provider_admin)
    page = client.get(reverse("commissioning:bid_social_value", args=[sv_bid.pk]))
    html = page.content.decode()
    assert f'hx-post="{check_url(sv_bid)}"' in html
    assert 'hx-trigger="input delay:600ms, change"' in html
    assert 'role="status"' in html
    assert "/static/build/htmx.min.js" in html
    # The form still submits to the page itself (no JavaScript needed to save).
    assert '<form method="post" novalidate' in html and "action=" not in html.split(
        '<form method="post" novalidate')[1].split(">")[0]
    # No inline script beyond the nonce'd one-liner of the layout; htmx may not eval.
    assert html.count("<script nonce=") == 1
    assert '"allowEval": false' in html and '"historyCacheSize": 0' in html
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]
    assert "'unsafe-eval'" not in page["Content-Security-Policy"]


def test_double_counting_is_reported_as_typed_and_nothing_is_saved(client, provider_admin,
                                                                   sv_bid, plan):  # noqa: F811
    client.force_login(provider_admin)
    before = AuditEntry.objects.count()
    response = client.post(check_url(sv_bid), typed(plan, L3="5000", L4="100", L1="3"), **HTMX)
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not the page
    assert f'id="sv-check-{pm(plan, "L3").pk}" hx-swap-oob="innerHTML"' in html
    assert html.count("The same activity cannot be counted twice") == 2  # L3 and L4
    assert "2 problems to fix before you save." in html
    assert "3.00 × £1,000.00 × (1 − 0%) × 100% = £3,000.00" in html  # L1's indicative value
    assert draft(sv_bid).get("social_value") in (None, [])
    assert AuditEntry.objects.count() == before


def test_a_quantity_that_is_not_a_number_is_reported_next_to_its_measure(
        client, provider_admin, sv_bid, plan):  # noqa: F811
    client.force_login(provider_admin)
    html = client.post(check_url(sv_bid), typed(plan, L1="lots"), **HTMX).content.decode()
    block = html.split(f'id="sv-check-{pm(plan, "L1").pk}"')[1].split("</div>")[0]
    assert "Quantity you commit to: Quantity must be a number, like 2 or 2.5" in block
    assert "1 problem to fix before you save." in html


def test_clean_commitments_say_so(client, provider_admin, sv_bid, plan):  # noqa: F811
    client.force_login(provider_admin)
    html = client.post(check_url(sv_bid), typed(plan, L1="2", L2="1", L3="10"),
                       **HTMX).content.decode()
    assert "No problems found so far; 1 warning to read." in html  # L4 left empty
    assert "No commitment entered for “Local spend any size”" in html


def test_without_htmx_the_check_sends_the_bidder_back_to_the_page(client, provider_admin,
                                                                  sv_bid, plan):  # noqa: F811
    client.force_login(provider_admin)
    response = client.post(check_url(sv_bid), typed(plan, L1="2"))
    assert response.status_code == 302
    assert response["Location"] == reverse("commissioning:bid_social_value", args=[sv_bid.pk])
    assert client.get(check_url(sv_bid), **HTMX).status_code == 405


def test_without_javascript_saving_shows_the_same_checks(client, provider_admin, sv_bid,
                                                         plan):  # noqa: F811
    client.force_login(provider_admin)
    url = reverse("commissioning:bid_social_value", args=[sv_bid.pk])
    html = client.post(url, typed(plan, L3="5000", L4="100")).content.decode()
    assert "govuk-error-summary" in html
    assert "The same activity cannot be counted twice" in html
    # After a save that works, the page shows each saved commitment's indicative value.
    client.post(url, typed(plan, L1="3"))
    assert "£3,000.00" in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["other_provider", "bid_writer_elsewhere", "commissioner",
                                 "anonymous"])
def test_nobody_outside_the_bidding_organisation_can_check(client, sv_bid, plan, who,  # noqa: F811
                                                           commissioner):
    if who == "other_provider":
        client.force_login(factories.member(factories.OrganisationFactory(),
                                            Role.PROVIDER_ADMIN))
    elif who == "bid_writer_elsewhere":
        client.force_login(factories.member(factories.OrganisationFactory(), Role.BID_WRITER))
    elif who == "commissioner":
        client.force_login(commissioner)
    response = client.post(check_url(sv_bid), typed(plan, L1="2"), **HTMX)
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code in (403, 404)
        assert "sv-check" not in response.content.decode()


def test_a_check_costs_the_same_queries_however_many_measures_are_typed(
        client, provider_admin, sv_bid, plan):  # noqa: F811
    client.force_login(provider_admin)

    def queries(data):
        with CaptureQueriesContext(connection) as context:
            assert client.post(check_url(sv_bid), data, **HTMX).status_code == 200
        return len(context)

    assert queries(typed(plan, L1="1")) == queries(typed(plan, L1="1", L2="2", L3="3", L4="4"))
