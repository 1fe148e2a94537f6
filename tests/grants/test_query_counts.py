"""Every grants list runs a constant number of queries however many rows it shows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.services import applications as apps
from grants.services import assessment, awards
from tests.grants import support

pytestmark = pytest.mark.django_db


def grow(round_, direct, manager, second_manager, assessor, n):
    """n more applications (screened in, assessed, decided, awarded) and n direct grants."""
    today = timezone.localdate()
    for _ in range(n):
        org, user = support.applicant()
        application = apps.application_start(actor=user, round_=round_, organisation=org)
        support.fill(application, user)
        apps.application_submit(actor=user, application=application)
        apps.application_screen(actor=manager, application=application, eligible=True)
        assessment.assessment_save(
            actor=assessor, application=application, recommendation="fund", comments="ok",
            submit=True, scores={c.pk: {"score": 3, "comment": "ok"}
                                 for c in round_.criteria.all()})
        decision = assessment.decision_record(actor=manager, application=application,
                                              outcome="fund", rationale="r", feedback="f",
                                              amount=Decimal("2000"))
        assessment.decision_approve(actor=second_manager, decision=decision)
        award = awards.grant_direct_award(
            actor=manager, round=direct, organisation=org, amount=Decimal("1000"),
            justification="Sole", title="T", description="D", planned_start=today,
            planned_end=today + datetime.timedelta(days=100),
            justifications={"mr8_measures": "Later"})
        awards.agreement_accept(actor=user, award=award, name="N", position="P")


def count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_lists_are_constant(client, programme, open_round, manager, second_manager, assessor):
    direct = support.published_round(programme, manager, kind="direct", budget=Decimal("400000"),
                                     max_amount=Decimal("50000"))
    assessment.assessor_assign(actor=manager, round_=open_round, assessor=assessor)
    assessment.conflicts_declare(actor=assessor, round_=open_round, conflicts={})
    from grants.models import Application

    paths = {
        None: [reverse("grants:round_list"), reverse("grants:awarded_list"),
               reverse("grants:round_list") + "?status=open&amount=under_10k"],
        "manager": [reverse("grants:round_applications", args=[open_round.pk]),
                    reverse("grants:awards_manage"), reverse("grants:manage_home"),
                    reverse("grants:panel_pack", args=[open_round.pk]),
                    reverse("grants:reports"), reverse("grants:ggis_export"),
                    reverse("grants:ggis_export") + "?format=xlsx"],
        "assessor": [reverse("grants:assessor_queue", args=[open_round.pk])],
    }
    grow(open_round, direct, manager, second_manager, assessor, 2)
    Application.objects.filter(round=open_round).update(status="eligible")
    before = _counts(client, paths, manager, assessor)
    grow(open_round, direct, manager, second_manager, assessor, 4)
    Application.objects.filter(round=open_round).update(status="eligible")
    assert _counts(client, paths, manager, assessor) == before


def _counts(client, paths, manager, assessor) -> dict:
    found = {}
    for who, urls in paths.items():
        client.logout()
        if who:
            client.force_login({"manager": manager, "assessor": assessor}[who])
        for path in urls:
            found[path] = count(client, path)
    return found


def test_the_applicants_lists_are_constant(client, open_round):
    org, user = support.applicant()
    client.force_login(user)
    client.get(reverse("grants:round_list"))  # the first request after login saves the session

    def more(n):
        for _ in range(n):
            round_ = support.published_round(open_round.programme, open_round.created_by,
                                             budget=Decimal("50000"))
            application = apps.application_start(actor=user, round_=round_, organisation=org)
            support.fill(application, user)

    more(2)
    first = count(client, reverse("grants:my_applications"))
    more(4)
    assert count(client, reverse("grants:my_applications")) == first
