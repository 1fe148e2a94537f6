"""Work lists per role: an evaluator's tasks with dates, a contract manager's contracts, and a
tender overview that offers each person only the screens they may open."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from commissioning.models import Contract
from commissioning.services.awards import award_approve, award_notice_publish, award_propose
from commissioning.services.contracts import contract_enter, contract_kpi_add
from commissioning.worklists import evaluation_tasks
from core.calendar import add_working_days
from organisations.models import Role
from tests import factories
from tests.commissioning import evaluation_support as support
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("core:dashboard")
CONTRACTS = reverse("commissioning:contract_list")


def _links(response) -> set[str]:
    return {link["label"] for link in response.context["presenter"].links}


# ------------------------------------------------------------------ the evaluator's work list


def test_an_evaluator_is_asked_to_declare_before_the_bids_are_opened(client, evaluator,
                                                                     published_tender):
    (task,) = evaluation_tasks(user=evaluator)
    assert task.action == "Declare any conflicts of interest"
    assert task.href == reverse("commissioning:conflicts", args=[published_tender.pk])
    assert task.due == published_tender.deadline and not task.overdue
    client.force_login(evaluator)
    page = client.get(DASHBOARD).content.decode()
    assert "Your evaluation tasks" in page and "Declare any conflicts of interest" in page


def test_scoring_then_moderation_are_listed_with_target_dates(authority, commissioner):
    from commissioning.services.evaluation import evaluator_add, scores_save

    tender = support.closed_tender(authority, commissioner)
    criteria = support.standard_criteria(tender)
    evaluator = support.staff(authority, Role.EVALUATOR)
    evaluator_add(tender=tender, actor=commissioner, user=evaluator, is_moderator=True)
    bids = [support.sealed_bid(tender, name="Riverside Care"),
            support.sealed_bid(tender, name="Hillside Support")]
    support.open_and_start(tender, commissioner, support.staff(authority, Role.AUTHORITY_ADMIN))
    support.declare(evaluator, tender)
    (task,) = evaluation_tasks(user=evaluator)
    assert task.action == "Score 2 bids" and task.due_label == "Target: by"
    assert task.due == add_working_days(tender.deadline, 10)
    for bid in bids:
        scores_save(bid=bid, actor=evaluator, submit=True,
                    entries=support.entries(criteria, quality=60, social_value=80))
    (task,) = evaluation_tasks(user=evaluator)
    assert task.action == "Moderate 2 bids"
    assert task.due == add_working_days(tender.deadline, 15)


def test_an_evaluator_with_nothing_to_do_sees_no_task(authority, commissioner):
    ready = support.evaluated_tender(authority, commissioner)
    assert evaluation_tasks(user=ready["evaluator"]) == []


def test_the_work_list_takes_the_same_queries_however_many_tenders(
        authority, commissioner, django_assert_max_num_queries):
    evaluator = support.staff(authority, Role.EVALUATOR)
    for _ in range(2):
        cf.TenderEvaluatorFactory(tender=support.closed_tender(authority, commissioner),
                                  user=evaluator)
    with django_assert_max_num_queries(8):
        assert len(evaluation_tasks(user=evaluator)) == 2
    for _ in range(6):
        cf.TenderEvaluatorFactory(tender=support.closed_tender(authority, commissioner),
                                  user=evaluator)
    with django_assert_max_num_queries(8):
        assert len(evaluation_tasks(user=evaluator)) == 8


# ------------------------------------------------------------------ contracts


NOTICE = datetime.datetime(2026, 12, 22, 10, tzinfo=datetime.UTC)


@pytest.fixture
def contract(authority, commissioner) -> Contract:
    ready = support.evaluated_tender(authority, commissioner)
    award = award_propose(tender=ready["tender"], actor=commissioner)
    award_approve(award=award, actor=ready["approver"])
    with mock.patch("django.utils.timezone.now", return_value=NOTICE):
        award = award_notice_publish(award=award, actor=commissioner)
    signed = datetime.datetime(2027, 1, 7, 10, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=signed):
        contract = contract_enter(award=award, actor=commissioner, value=Decimal("250000"),
                                  starts_on=datetime.date(2027, 2, 1),
                                  ends_on=datetime.date(2030, 1, 31),
                                  signed_on=datetime.date(2027, 1, 7))
        contract_kpi_add(contract=contract, actor=commissioner, name="Visits on time",
                         target="98% of visits within 15 minutes", is_most_material=True)
    return contract


@pytest.fixture
def contract_manager(authority):
    return factories.with_totp(factories.member(authority, Role.CONTRACT_MANAGER))


def test_a_contract_manager_gets_contracts_in_the_navigation(client, contract_manager,
                                                             commissioner, evaluator):
    for person, shown in ((contract_manager, True), (commissioner, False), (evaluator, False)):
        client.force_login(person)
        labels = {item["label"] for item in client.get(DASHBOARD).context["navigation_items"]}
        assert ("Contracts" in labels) is shown, person


def test_the_contracts_list_shows_the_authoritys_contracts_only(client, contract,
                                                                contract_manager):
    support.past_contract(factories.OrganisationFactory(), factories.AuthorityFactory(),
                          datetime.date(2026, 1, 5))  # another authority's
    client.force_login(contract_manager)
    response = client.get(CONTRACTS)
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row["supplier"] == "Hillside Support" and row["value"] == "£250,000"
    assert row["href"] == reverse("commissioning:contract", args=[contract.pk])
    assert client.get(CONTRACTS, {"q": "nothing like it"}).context["rows"] == []


@pytest.mark.parametrize("person, status", [
    ("contract_manager", 200), ("commissioner", 200), ("authority_admin", 200),
    ("provider_admin", 200), ("citizen", 200)])
def test_everyone_signed_in_may_open_the_list_and_sees_only_their_own(client, request, person,
                                                                        status, contract):
    client.force_login(request.getfixturevalue(person))
    response = client.get(CONTRACTS)
    assert response.status_code == status
    own = person in ("contract_manager", "commissioner", "authority_admin")
    assert len(response.context["rows"]) == (1 if own else 0)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(CONTRACTS).status_code == 302


def test_the_list_takes_the_same_queries_however_many_contracts(
        client, authority, contract_manager, django_assert_max_num_queries):
    def add(n):
        for day in range(n):
            support.past_contract(factories.OrganisationFactory(), authority,
                                  datetime.date(2026, 1, 5 + day))
    client.force_login(contract_manager)
    add(2)
    client.get(CONTRACTS)
    with django_assert_max_num_queries(12):
        assert len(client.get(CONTRACTS).context["rows"]) == 2
    add(10)
    with django_assert_max_num_queries(12):
        assert len(client.get(CONTRACTS).context["rows"]) == 12


def test_the_contract_record_has_what_a_contract_manager_works_from(client, contract,
                                                                    contract_manager):
    client.force_login(contract_manager)
    response = client.get(reverse("commissioning:contract", args=[contract.pk]))
    assert response.status_code == 200
    rows = {row["key"]: row["value"] for row in response.context["presenter"].rows}
    assert rows["Supplier"] == "Hillside Support"
    assert rows["Value"] == "£250,000.00 excluding VAT"
    assert (rows["Starts"], rows["Ends"]) == ("1 February 2027", "31 January 2030")
    page = response.content.decode()
    for heading in ("Key performance indicators", "Social value delivery", "Documents",
                    "Changes", "History"):
        assert f">{heading}</h2>" in page
    assert "Visits on time" in page
    changes = [c["what"] for c in response.context["presenter"].changes]
    assert len(changes) == 1 and "Visits on time" in changes[0]
    history = [entry["what"] for entry in response.context["presenter"].history]
    assert len(history) >= 4  # proposed, approved, notice, contract entered, KPI


# ------------------------------------------------------------------ only the actions allowed


def test_the_tender_overview_offers_each_person_only_what_they_may_open(
        client, authority, commissioner, contract_manager):
    ready = support.evaluated_tender(authority, commissioner)
    url = reverse("commissioning:tender_manage", args=[ready["tender"].pk])
    client.force_login(contract_manager)
    assert _links(client.get(url)) == {
        "View the public page", "Clarification questions", "Tender documents", "Lots",
        "Questions and documents for bidders"}
    client.force_login(ready["evaluator"])
    assert _links(client.get(url)) >= {"Award criteria", "Evaluation"}
    assert not _links(client.get(url)) & {"Evaluation panel", "Opening of bids", "Ranking",
                                          "Award", "Conflicts assessment"}
    client.force_login(commissioner)
    assert _links(client.get(url)) >= {"Evaluation panel", "Opening of bids", "Evaluation",
                                       "Ranking", "Award", "Conflicts assessment"}
    for person in (contract_manager, ready["evaluator"], commissioner):
        client.force_login(person)
        for link in client.get(url).context["presenter"].links:
            assert client.get(link["href"]).status_code != 403, (person, link)


def test_a_draft_task_list_links_only_the_tasks_the_person_may_do(client, authority,
                                                                  commissioner, evaluator):
    draft = cf.DraftTenderFactory(authority=authority, created_by=commissioner)
    url = reverse("commissioning:tender_manage", args=[draft.pk])
    client.force_login(evaluator)
    tasks = {t["title"]: t["href"] for t in client.get(url).context["presenter"].tasks}
    assert tasks["Describe the contract"] is None and tasks["Divide into lots"]
    client.force_login(commissioner)
    tasks = {t["title"]: t["href"] for t in client.get(url).context["presenter"].tasks}
    assert all(href for title, href in tasks.items() if title != "Set the award criteria")
