"""The deadline per request, withdrawal, closed rounds, and two stages with answers carried."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grants.models import Round
from grants.services import applications as apps
from grants.services import assessment
from grants.services.programmes import organisation_invite
from tests.grants import support

pytestmark = pytest.mark.django_db
MICRO = datetime.timedelta(microseconds=1)


def _filled(round_):
    org, user = support.applicant()
    application = apps.application_start(actor=user, round_=round_, organisation=org)
    return support.fill(application, user), user


def test_a_submission_a_microsecond_late_is_refused(open_round, monkeypatch):
    application, user = _filled(open_round)
    monkeypatch.setattr("core.clock.server_now", lambda: open_round.closes_at)
    with pytest.raises(ValidationError, match="The deadline was"):
        apps.application_submit(actor=user, application=application)
    monkeypatch.setattr("core.clock.server_now", lambda: open_round.closes_at - MICRO)
    receipt = apps.application_submit(actor=user, application=application)
    assert receipt.received_at == open_round.closes_at - MICRO


def test_drafts_cannot_be_saved_after_the_deadline(open_round, monkeypatch):
    application, user = _filled(open_round)
    monkeypatch.setattr("core.clock.server_now", lambda: open_round.closes_at + MICRO)
    with pytest.raises(ValidationError, match="deadline"):
        apps.application_details_save(actor=user, application=application,
                                      data={"project_title": "Late"})


def test_withdrawal_only_before_the_deadline(open_round, monkeypatch):
    application, user = _filled(open_round)
    apps.application_submit(actor=user, application=application)
    monkeypatch.setattr("core.clock.server_now", lambda: open_round.closes_at)
    with pytest.raises(ValidationError, match="cannot be withdrawn"):
        apps.application_withdraw(actor=user, application=application)
    monkeypatch.undo()
    apps.application_withdraw(actor=user, application=application, reason="Funded elsewhere")
    application.refresh_from_db()
    assert application.status == "withdrawn" and application.withdrawn_at


def test_an_incomplete_application_lists_what_is_missing(open_round):
    org, user = support.applicant()
    application = apps.application_start(actor=user, round_=open_round, organisation=org)
    with pytest.raises(apps.ApplicationIncomplete) as refused:
        apps.application_submit(actor=user, application=application)
    assert "Give your project a title." in refused.value.problems
    assert "Answer ‘Your budget’." in refused.value.problems


def test_a_closed_round_takes_invited_organisations_only(programme, manager):
    round_ = support.published_round(programme, manager, kind="closed")
    org, user = support.applicant()
    with pytest.raises(ValidationError, match="by invitation only"):
        apps.application_start(actor=user, round_=round_, organisation=org)
    organisation_invite(actor=manager, round_=round_, organisation=org)
    assert apps.application_start(actor=user, round_=round_, organisation=org).pk


def test_two_stages_carry_the_answers_forward(programme, manager, second_manager, assessor):
    round_ = support.published_round(programme, manager, two_stage=True)
    org, user = support.applicant()
    eoi = apps.application_start(actor=user, round_=round_, organisation=org)
    assert eoi.stage == "eoi"
    support.fill(eoi, user)
    apps.application_submit(actor=user, application=eoi)
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - MICRO)
    eoi.refresh_from_db()
    apps.application_screen(actor=manager, application=eoi, eligible=True)
    decision = assessment.decision_record(actor=manager, application=eoi, outcome="invite",
                                          rationale="Promising", feedback="Apply in full")
    assessment.decision_approve(actor=second_manager, decision=decision)
    full = apps.application_start(actor=user, round_=round_, organisation=org)
    assert full.stage == "full" and full.previous == eoi
    assert full.project_title == "Youth club" and full.amount_requested == Decimal("20000")
    carried = full.answers.get(question__label="What will you do?")
    assert carried.value == "We will run a youth club."
    support.fill(full, user)
    assert apps.application_submit(actor=user, application=full).number


def test_an_uninvited_organisation_cannot_apply_in_full(programme, manager):
    round_ = support.published_round(programme, manager, two_stage=True)
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - MICRO)
    round_.refresh_from_db()
    org, user = support.applicant()
    with pytest.raises(ValidationError, match="Only organisations invited"):
        apps.application_start(actor=user, round_=round_, organisation=org)
