"""Who sees what: a matrix of roles over every grants page and object.

Roles: the applicant, another applicant, an assessor, a conflicted assessor, the grant
manager, another authority's grant manager, a citizen and an anonymous visitor. A page is
either allowed (200) or refused (a login redirect for anonymous visitors, else 403 or 404),
and lists never show another organisation's application. Authority staff (assessors
included) may read their own authority's programmes, rounds and grants, as they read its
tenders; only grant managers change them.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.services import applications as apps
from grants.services import assessment, awards
from tests import factories
from tests.grants import support

pytestmark = pytest.mark.django_db
ROLES = ("applicant", "other_applicant", "assessor", "conflicted", "manager", "other_staff",
         "citizen", "anonymous")
EVERYONE = set(ROLES)
MANAGER = {"manager"}


@pytest.fixture
def world(programme, open_round, manager, other_staff, db):
    org, applicant = support.applicant()
    other_org, other_applicant = support.applicant()
    application = apps.application_start(actor=applicant, round_=open_round, organisation=org)
    support.fill(application, applicant)
    apps.application_submit(actor=applicant, application=application)
    apps.application_screen(actor=manager, application=application, eligible=True)
    people = {"applicant": applicant, "other_applicant": other_applicant, "manager": manager,
              "other_staff": other_staff, "citizen": factories.CitizenFactory()}
    for name, conflicts in (("assessor", {}), ("conflicted", {application.pk: "Trustee"})):
        user = factories.with_totp(factories.member(programme.authority, "evaluator"))
        assessment.assessor_assign(actor=manager, round_=open_round, assessor=user)
        assessment.conflicts_declare(actor=user, round_=open_round, conflicts=conflicts)
        people[name] = user
    direct = support.published_round(programme, manager, kind="direct")
    award = awards.grant_direct_award(
        actor=manager, round=direct, organisation=org, amount=Decimal("5000"),
        justification="Sole provider", title="Support", description="Support for the club",
        planned_start=timezone.localdate(),
        planned_end=timezone.localdate() + datetime.timedelta(days=300),
        justifications={"mr8_measures": "Later"})
    application.refresh_from_db()
    return {"people": people, "application": application, "award": award,
            "round": open_round, "programme": programme}


def pages(w):
    a, award, r, p = w["application"], w["award"], w["round"], w["programme"]
    applicant = {"applicant"}
    return [
        (reverse("grants:round_list"), EVERYONE),
        (reverse("grants:round_detail", args=[r.pk]), EVERYONE),
        (reverse("grants:round_check", args=[r.pk]), EVERYONE),
        (reverse("grants:awarded_list"), EVERYONE),
        (reverse("grants:open_data"), EVERYONE),
        (reverse("grants:application_receipt", args=[a.pk]), applicant),
        (reverse("grants:application_withdraw", args=[a.pk]), applicant),
        (reverse("grants:award_detail", args=[award.pk]), applicant),
        (reverse("grants:agreement_accept", args=[award.pk]), applicant),
        (reverse("grants:assessor_score", args=[a.pk]), {"assessor"}),
        (reverse("grants:assessor_queue", args=[r.pk]), {"assessor", "conflicted"}),
        (reverse("grants:assessor_declare", args=[r.pk]), {"assessor", "conflicted"}),
        (reverse("grants:application_manage", args=[a.pk]), MANAGER),
        (reverse("grants:application_screen", args=[a.pk]), MANAGER),
        (reverse("grants:application_decide", args=[a.pk]), MANAGER),
        (reverse("grants:round_manage", args=[r.pk]), MANAGER | {"assessor", "conflicted"}),
        (reverse("grants:round_edit", args=[r.pk]), MANAGER),
        (reverse("grants:round_applications", args=[r.pk]), MANAGER),
        (reverse("grants:panel_pack", args=[r.pk]), MANAGER),
        (reverse("grants:citizens_vote_request", args=[r.pk]), MANAGER),
        (reverse("grants:programme_manage", args=[p.pk]), MANAGER | {"assessor", "conflicted"}),
        (reverse("grants:programme_edit", args=[p.pk]), MANAGER),
        (reverse("grants:programme_compliance", args=[p.pk]),
         MANAGER | {"assessor", "conflicted"}),
        (reverse("grants:contribution_add", args=[p.pk]), MANAGER),
        (reverse("grants:award_manage", args=[award.pk]), MANAGER),
        (reverse("grants:instalment_add", args=[award.pk]), MANAGER),
        (reverse("grants:due_diligence_add", args=[award.pk]), MANAGER),
        (reverse("grants:award_close", args=[award.pk]), MANAGER),
        (reverse("grants:programme_create"), MANAGER | {"other_staff"}),
        (reverse("grants:manage_home"), MANAGER | {"other_staff", "assessor", "conflicted"}),
        (reverse("grants:awards_manage"), MANAGER | {"other_staff", "assessor", "conflicted"}),
        (reverse("grants:reports"), MANAGER | {"other_staff", "assessor", "conflicted"}),
        (reverse("grants:ggis_export"), MANAGER | {"other_staff", "assessor", "conflicted"}),
        (reverse("grants:ggis_export") + "?format=csv",
         MANAGER | {"other_staff", "assessor", "conflicted"}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(client, world, role):
    if role != "anonymous":
        client.force_login(world["people"][role])
    wrong = []
    for path, allowed in pages(world):
        status = client.get(path).status_code
        if role in allowed:
            ok = status == 200
        elif role == "anonymous":
            ok = status == 302
        else:
            ok = status in (403, 404)
        if not ok:
            wrong.append(f"{path}: {status}")
    assert not wrong, f"{role}: {wrong}"


@pytest.mark.parametrize("role", ["other_applicant", "other_staff", "citizen", "conflicted"])
def test_lists_never_show_what_is_not_theirs(client, world, role):
    client.force_login(world["people"][role])
    reference = world["application"].reference
    names = ["my_applications", "my_grants", "assessor_home"]
    if role != "conflicted":  # staff of the funder see the funder's grants
        names.append("awards_manage")
    for name in names:
        body = client.get(reverse(f"grants:{name}")).content.decode()
        assert reference not in body and world["award"].reference not in body, name
    queue = client.get(reverse("grants:assessor_queue", args=[world["round"].pk]))
    assert reference not in queue.content.decode()


def test_posts_are_refused_too(client, world):
    client.force_login(world["people"]["other_staff"])
    award, application = world["award"], world["application"]
    assert client.post(reverse("grants:instalment_add", args=[award.pk]), {
        "amount": "10", "due_on_0": "1", "due_on_1": "1", "due_on_2": "2027", "year": "1",
        "milestone": "x", "timing": "arrears"}).status_code == 404
    assert client.post(reverse("grants:decision_approve", args=[application.pk])
                       ).status_code == 404
    client.force_login(world["people"]["other_applicant"])
    assert client.post(reverse("grants:agreement_accept", args=[award.pk]), {
        "name": "X", "position": "Y", "confirm": "on"}).status_code == 404
    assert client.post(reverse("grants:application_withdraw", args=[application.pk]),
                       {"confirm": "on"}).status_code == 404
