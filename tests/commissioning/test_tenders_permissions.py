"""The permissions matrix: who may do what with a tender in each state, and with projects."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Project
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "citizen", "provider", "commissioner", "evaluator", "other_authority",
          "platform_admin"]
STATES = ["draft", "published", "closed"]
T, F = True, False
# perm -> person -> (draft, published, closed)
MATRIX = {
    "commissioning.view_tender": {
        "anonymous": (F, T, T), "citizen": (F, T, T), "provider": (F, T, T),
        "commissioner": (T, T, T), "evaluator": (T, T, T), "other_authority": (F, T, T),
        "platform_admin": (T, T, T)},
    "commissioning.view_tender_admin": {
        "anonymous": (F, F, F), "citizen": (F, F, F), "provider": (F, F, F),
        "commissioner": (T, T, T), "evaluator": (T, T, T), "other_authority": (F, F, F),
        "platform_admin": (T, T, T)},
    "commissioning.manage_tender": {
        "anonymous": (F, F, F), "citizen": (F, F, F), "provider": (F, F, F),
        "commissioner": (T, T, T), "evaluator": (F, F, F), "other_authority": (F, F, F),
        "platform_admin": (F, F, F)},
    "commissioning.register_interest": {
        "anonymous": (F, F, F), "citizen": (F, F, F), "provider": (F, T, F),
        "commissioner": (F, F, F), "evaluator": (F, F, F), "other_authority": (F, F, F),
        "platform_admin": (F, F, F)},
    "commissioning.ask_clarification": {
        "anonymous": (F, F, F), "citizen": (F, F, F), "provider": (F, T, F),
        "commissioner": (F, F, F), "evaluator": (F, F, F), "other_authority": (F, F, F),
        "platform_admin": (F, F, F)},
    "commissioning.answer_clarification": {
        "anonymous": (F, F, F), "citizen": (F, F, F), "provider": (F, F, F),
        "commissioner": (F, T, T), "evaluator": (F, F, F), "other_authority": (F, F, F),
        "platform_admin": (F, F, F)},
}


@pytest.fixture
def people(authority, citizen, bid_writer, commissioner, platform_admin, other_commissioner):
    return {
        "anonymous": AnonymousUser(), "citizen": citizen, "provider": bid_writer,
        "commissioner": commissioner,
        "evaluator": factories.with_totp(factories.member(authority, Role.EVALUATOR)),
        "other_authority": other_commissioner, "platform_admin": platform_admin,
    }


@pytest.fixture
def tenders(authority):
    past = timezone.now() - timedelta(hours=1)
    return {
        "draft": cf.DraftTenderFactory(authority=authority),
        "published": cf.TenderFactory(authority=authority),
        "closed": cf.TenderFactory(authority=authority, deadline=past,
                                   questions_deadline=past - timedelta(days=2)),
    }


@pytest.mark.parametrize("perm", MATRIX)
def test_tender_permission_matrix(perm, people, tenders):
    problems = []
    for person in PEOPLE:
        for state, expected in zip(STATES, MATRIX[perm][person], strict=True):
            actual = people[person].has_perm(perm, tenders[state])
            if actual != expected:
                problems.append(f"{person} on {state}: expected {expected}, got {actual}")
    assert not problems, f"{perm}:\n" + "\n".join(problems)


def test_admin_pages_return_404_for_drafts_and_403_for_public_tenders(client, people, tenders):
    for person in ("citizen", "provider", "other_authority"):
        client.force_login(people[person])
        draft = client.get(reverse("commissioning:tender_manage", args=[tenders["draft"].pk]))
        public = client.get(reverse("commissioning:tender_manage",
                                    args=[tenders["published"].pk]))
        assert (draft.status_code, public.status_code) == (404, 403), person


def test_evaluator_can_view_but_not_change(client, people, tenders):
    client.force_login(people["evaluator"])
    tender = tenders["draft"]
    assert client.get(reverse("commissioning:tender_manage", args=[tender.pk])).status_code \
        == 200
    assert client.get(reverse("commissioning:tender_edit", args=[tender.pk])).status_code == 403
    assert client.post(reverse("commissioning:tender_publish", args=[tender.pk])).status_code \
        == 403


def test_anonymous_is_sent_to_sign_in(client, tenders):
    response = client.get(reverse("commissioning:tender_manage", args=[tenders["draft"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


PROJECT_MATRIX = {
    # perm -> person -> (draft project, project in engagement)
    "commissioning.view_project": {
        "anonymous": (F, T), "citizen": (F, T), "provider": (F, T), "commissioner": (T, T),
        "evaluator": (T, T), "other_authority": (F, T), "platform_admin": (T, T)},
    "commissioning.manage_project": {
        "anonymous": (F, F), "citizen": (F, F), "provider": (F, F), "commissioner": (T, T),
        "evaluator": (F, F), "other_authority": (F, F), "platform_admin": (F, F)},
    "commissioning.view_market_responses": {
        "anonymous": (F, F), "citizen": (F, F), "provider": (F, F), "commissioner": (T, T),
        "evaluator": (T, T), "other_authority": (F, F), "platform_admin": (F, F)},
    "commissioning.comment_on_project": {
        "anonymous": (F, F), "citizen": (F, T), "provider": (F, F), "commissioner": (F, F),
        "evaluator": (F, F), "other_authority": (F, F), "platform_admin": (F, F)},
}


@pytest.mark.parametrize("perm", PROJECT_MATRIX)
def test_project_permission_matrix(perm, people, authority):
    projects = (cf.ProjectFactory(authority=authority, status=Project.Status.DRAFT,
                                  is_public=False),
                cf.ProjectFactory(authority=authority))
    for person in PEOPLE:
        actual = tuple(people[person].has_perm(perm, p) for p in projects)
        assert actual == PROJECT_MATRIX[perm][person], f"{perm} for {person}"


def test_respond_to_market(people, authority):
    question = cf.MarketQuestionFactory(project=cf.ProjectFactory(authority=authority))
    allowed = {p for p in PEOPLE if people[p].has_perm("commissioning.respond_to_market",
                                                       question)}
    assert allowed == {"provider"}
