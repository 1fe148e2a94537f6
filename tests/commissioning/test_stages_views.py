"""The staged-procedure and core-information pages: who sees what (the permission matrix),
junk input answered with 400/404 or the form again (never 500), and a constant number of
queries per list page however many rows it shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.models import ProcedureStage
from commissioning.services import stages as stage_services
from organisations.models import Role
from tests import factories
from tests.commissioning import stages_support as support

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "citizen", "supplier", "outsider_supplier", "commissioner", "evaluator",
          "other_authority", "platform_admin"]
LOGIN = 302


@pytest.fixture
def world(authority, commissioner, citizen, platform_admin, other_commissioner):
    staged = support.shortlisted(support.with_requests(support.designed(authority,
                                                                        commissioner)))
    stage = support.negotiation(staged)
    organisation, writer = staged.suppliers[0]
    initial = support.submit(stage.round, organisation, writer)
    outsider, outsider_writer = support.supplier()
    people = {
        "anonymous": None, "citizen": citizen, "supplier": writer,
        "outsider_supplier": outsider_writer, "commissioner": commissioner,
        "evaluator": factories.with_totp(factories.member(authority, Role.EVALUATOR)),
        "other_authority": other_commissioner, "platform_admin": platform_admin,
    }
    return {"staged": staged, "stage": stage, "initial": initial, "people": people,
            "request": staged.requests[0]}


def _pages(world) -> dict[str, str]:
    tender, stage = world["staged"].tender, world["stage"]
    return {
        "overview": reverse("commissioning:procedure_overview", args=[tender.pk]),
        "design": reverse("commissioning:procedure_design", args=[tender.pk]),
        "stage_add": reverse("commissioning:stage_add", args=[tender.pk]),
        "shortlist": reverse("commissioning:shortlist", args=[tender.pk]),
        "meetings": reverse("commissioning:stage_meetings", args=[stage.pk]),
        "stage_extend": reverse("commissioning:stage_extend", args=[stage.pk]),
        "refinements": reverse("commissioning:refinements", args=[tender.pk]),
        "procedures": reverse("commissioning:supplier_procedures"),
        "round": reverse("commissioning:supplier_round", args=[stage.pk]),
        "round_ask": reverse("commissioning:supplier_round_ask", args=[stage.pk]),
        "round_questions": reverse("commissioning:clarification_admin_list",
                                   args=[stage.round_id]),
        "information": reverse("commissioning:supplier_information"),
        "confirm": reverse("commissioning:bid_supplier_information",
                           args=[world["initial"].pk]),
        "as_submitted": reverse("commissioning:submitted_supplier_information",
                                args=[world["initial"].pk]),
    }


# page -> status for each person, in PEOPLE order
MATRIX = {
    "overview":     (LOGIN, 403, 403, 403, 200, 200, 403, 200),
    "design":       (LOGIN, 403, 403, 403, 200, 403, 403, 403),
    "stage_add":    (LOGIN, 404, 404, 404, 200, 403, 404, 403),
    "shortlist":    (LOGIN, 404, 404, 404, 200, 200, 404, 200),
    "meetings":     (LOGIN, 404, 404, 404, 200, 200, 404, 200),
    "stage_extend": (LOGIN, 404, 404, 404, 200, 403, 404, 403),
    "refinements":  (LOGIN, 404, 404, 404, 200, 200, 404, 200),
    "procedures":   (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    # A round is not public: only the suppliers taking part in it (here, the shortlist).
    "round":        (LOGIN, 404, 200, 404, 404, 404, 404, 404),
    "round_ask":    (LOGIN, 404, 200, 404, 404, 404, 404, 404),
    "round_questions": (LOGIN, 404, 404, 404, 200, 200, 404, 200),
    "information":  (LOGIN, 403, 200, 200, 403, 403, 403, 403),
    "confirm":      (LOGIN, 404, 200, 404, 404, 404, 404, 404),
    # Sealed until the round is opened: nobody but the supplier's own people, and they read it
    # on their own pages.
    "as_submitted": (LOGIN, 403, 200, 403, 403, 403, 403, 403),
}


def test_the_permission_matrix_of_the_new_pages(world):
    pages = _pages(world)
    found = {}
    for index, person in enumerate(PEOPLE):
        client = Client()
        if world["people"][person] is not None:
            client.force_login(world["people"][person])
        for page, statuses in MATRIX.items():
            found[(page, person)] = (client.get(pages[page]).status_code, statuses[index])
    wrong = {key: value for key, value in found.items() if value[0] != value[1]}
    assert wrong == {}


def test_the_supplier_sees_its_shortlist_decision_and_the_open_stages(world):
    client = Client()
    client.force_login(world["people"]["supplier"])
    body = client.get(reverse("commissioning:supplier_procedures")).content.decode()
    assert "You are shortlisted" in body and "Meets both criteria well." in body
    assert "Submit a final tender" in body
    left_out = world["staged"].suppliers[3][1]
    client.force_login(left_out)
    body = client.get(reverse("commissioning:supplier_procedures")).content.decode()
    assert "You are not shortlisted" in body and "Capacity evidence" in body
    assert "Submit a final tender" not in body


def test_junk_input_is_answered_with_the_form_or_a_client_error(world):
    pages = _pages(world)
    client = Client(raise_request_exception=False)
    client.force_login(world["people"]["commissioner"])
    junk = {"kind": "nonsense", "deadline_date_0": "99", "deadline_time": "25:99",
            "min_suppliers": "-5", "max_suppliers": "x" * 50, "included": "maybe",
            "reasons": "\x00", "organisation": "abc", "held_at_date_0": "x",
            "after_stage": "99999999999999999999", "description": "", "fewer_reason": "z"}
    for page in ("design", "stage_add", "shortlist", "meetings", "refinements"):
        assert client.post(pages[page], junk).status_code in (200, 400), page
    assert client.post(reverse("commissioning:stage_open", args=[999999])).status_code == 404
    decide = reverse("commissioning:shortlist_decide",
                     args=[world["staged"].tender.pk, 999999])
    assert client.get(decide).status_code == 404
    assert client.get(reverse("commissioning:stage_open",
                              args=[world["stage"].pk])).status_code == 405
    supplier = Client(raise_request_exception=False)
    supplier.force_login(world["people"]["supplier"])
    response = supplier.post(pages["information"], {"legal_name": "\x00", "mandatory_applies":
                                                    "on", "standing_document": "not a file"})
    assert response.status_code in (200, 400)


def test_the_shortlist_decision_page_saves_a_decision(world, authority, commissioner):
    staged = support.with_requests(support.designed(authority, commissioner), count=2)
    support.open_round(staged, staged.participation.round)
    client = Client()
    client.force_login(commissioner)
    url = reverse("commissioning:shortlist_decide",
                  args=[staged.tender.pk, staged.requests[0].pk])
    response = client.post(url, {"included": "yes", "reasons": "Strong on both criteria."})
    assert response.status_code == 302
    assert staged.requests[0].__class__.objects.get(
        pk=staged.requests[0].pk).shortlist_entry.included is True


def _count(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_take_a_constant_number_of_queries(authority, commissioner,
                                                      django_assert_max_num_queries):
    small = support.with_requests(support.designed(authority, commissioner), count=1)
    support.open_round(small, small.participation.round)
    large = support.with_requests(support.designed(authority, commissioner), count=5)
    support.open_round(large, large.participation.round)
    staff = Client()
    staff.force_login(commissioner)
    for page in ("commissioning:shortlist", "commissioning:procedure_overview"):
        baseline = _queries(staff, reverse(page, args=[small.tender.pk]))
        with django_assert_max_num_queries(baseline):
            assert staff.get(reverse(page, args=[large.tender.pk])).status_code == 200
    organisation, writer = small.suppliers[0]
    supplier = Client()
    supplier.force_login(writer)
    url = reverse("commissioning:supplier_procedures")
    baseline = _queries(supplier, url)
    for _ in range(2):
        more = support.designed(authority, commissioner)
        support.submit(more.participation.round, organisation, writer, price=False)
    with django_assert_max_num_queries(baseline):
        body = supplier.get(url).content.decode()
    assert body.count('class="govuk-summary-card__title"') == 3


def test_the_stages_page_takes_a_constant_number_of_queries_as_stages_grow(
        authority, commissioner, django_assert_max_num_queries):
    """Each stage offers its opening, evaluation and deadline extension only to who may use
    them: those checks read the roles once per request, not once per stage."""
    few = support.shortlisted(support.with_requests(support.designed(authority, commissioner)))
    support.negotiation(few)
    many = support.shortlisted(support.with_requests(support.designed(authority, commissioner)))
    support.negotiation(many)
    for number in (2, 3):  # later rounds, designed but not open yet
        stage_services.stage_add(actor=commissioner, procedure=many.procedure,
                                 kind=ProcedureStage.Kind.NEGOTIATION,
                                 title=f"Negotiation round {number}",
                                 deadline=timezone.now() + timedelta(days=30 + number))
    assert many.procedure.stages.count() == 4
    staff = Client()
    staff.force_login(commissioner)
    baseline = _queries(staff, reverse("commissioning:procedure_overview", args=[few.tender.pk]))
    with django_assert_max_num_queries(baseline):
        body = staff.get(reverse("commissioning:procedure_overview",
                                 args=[many.tender.pk])).content.decode()
    assert all(f"Negotiation round {number}" in body for number in (1, 2, 3))
