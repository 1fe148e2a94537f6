"""Runs of checks: open, refresh, resolve, record, audit and notify; idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from compliance import services
from compliance.models import CheckRun, Finding
from compliance.registry import FindingSpec
from core.models import AuditEntry, Notification, OutboxMessage
from core.notifications import EMAIL_TASK
from organisations.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def _open(check_id="tests.problems"):
    return Finding.objects.filter(check_id=check_id, status=Finding.Status.OPEN)


def test_first_run_opens_a_finding_per_problem(problem_check, now):
    first, second = factories.OrganisationFactory(), factories.OrganisationFactory()
    problem_check.problems = {first: None, second: None}

    run = services.check_run(check_id="tests.problems", now=now)

    assert run.succeeded
    assert (run.opened_count, run.still_open_count, run.resolved_count) == (2, 0, 0)
    findings = list(_open().order_by("object_id"))
    assert [f.subject for f in findings] == [first, second]
    assert all(f.severity == "medium" and f.first_seen_at == now for f in findings)
    assert findings[0].message == f"{first.name} has a problem"


def test_running_twice_keeps_one_open_finding_per_subject(problem_check, now):
    organisation = factories.OrganisationFactory()
    problem_check.problems = {organisation: None}

    services.check_run(check_id="tests.problems", now=now)
    later = now + timedelta(hours=1)
    run = services.check_run(check_id="tests.problems", now=later)

    assert (run.opened_count, run.still_open_count, run.resolved_count) == (0, 1, 0)
    (finding,) = Finding.objects.all()
    assert (finding.first_seen_at, finding.last_seen_at) == (now, later)


def test_a_problem_that_goes_away_is_resolved_and_a_new_episode_opens_if_it_returns(
    problem_check, now
):
    organisation = factories.OrganisationFactory()
    problem_check.problems = {organisation: None}
    services.check_run(check_id="tests.problems", now=now)

    problem_check.problems = {}
    run = services.check_run(check_id="tests.problems", now=now + timedelta(hours=1))
    assert run.resolved_count == 1
    (resolved,) = Finding.objects.all()
    assert resolved.status == Finding.Status.RESOLVED
    assert resolved.resolved_at == now + timedelta(hours=1)

    problem_check.problems = {organisation: None}
    services.check_run(check_id="tests.problems", now=now + timedelta(hours=2))
    assert Finding.objects.count() == 2
    assert _open().get().first_seen_at == now + timedelta(hours=2)


def test_still_open_findings_take_the_latest_message_and_owner(problem_check, now, authority):
    organisation = factories.OrganisationFactory()
    problem_check.problems = {organisation: None}
    services.check_run(check_id="tests.problems", now=now)

    problem_check.problems = {organisation: authority.pk}
    problem_check.messages = {organisation.pk: "Now waiting 7 days"}
    services.check_run(check_id="tests.problems", now=now + timedelta(hours=1))

    finding = _open().get()
    assert (finding.message, finding.organisation) == ("Now waiting 7 days", authority)


def test_subjects_may_be_instances_or_content_type_pairs(only_checks, now):
    organisation = factories.OrganisationFactory()
    content_type = ContentType.objects.get_for_model(Organisation)
    only_checks("tests.pairs", lambda now: [
        FindingSpec(subject=organisation, organisation_id=None, message="a"),
        FindingSpec(subject=(content_type, organisation.pk), organisation_id=None, message="b"),
        FindingSpec(subject=(content_type.pk, organisation.pk), organisation_id=None, message="c"),
    ])
    run = services.check_run(check_id="tests.pairs", now=now)
    assert run.opened_count == 1  # three ways of naming one subject
    assert _open("tests.pairs").get().message == "c"


def test_the_database_refuses_a_second_open_finding_for_a_subject(problem_check, now):
    organisation = factories.OrganisationFactory()
    problem_check.problems = {organisation: None}
    services.check_run(check_id="tests.problems", now=now)
    finding = Finding.objects.get()
    finding.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        finding.save()


def test_each_run_is_recorded_and_audited(problem_check, now):
    problem_check.problems = {factories.OrganisationFactory(): None}
    services.check_run(check_id="tests.problems", now=now)
    services.check_run(check_id="tests.problems", now=now + timedelta(hours=1))

    assert CheckRun.objects.filter(check_id="tests.problems").count() == 2
    entries = AuditEntry.objects.filter(action="compliance.check_run")
    assert entries.count() == 2
    assert entries.last().changes == {
        "check_id": "tests.problems", "opened": 0, "still_open": 1, "resolved": 0,
    }


def test_a_failing_check_is_recorded_and_leaves_findings_alone(only_checks, problem_check, now):
    problem_check.problems = {factories.OrganisationFactory(): None}
    services.check_run(check_id="tests.problems", now=now)

    def broken(now):
        raise ValueError("the query is wrong")

    only_checks("tests.broken", broken)
    run = services.check_run(check_id="tests.broken", now=now)

    assert not run.succeeded
    assert "ValueError: the query is wrong" in run.error
    assert run.finished_at is not None
    assert _open().count() == 1
    assert AuditEntry.objects.filter(
        action="compliance.check_run", summary__contains="failed (ValueError)"
    ).exists()


def test_owners_are_notified_of_new_findings_only(problem_check, now, authority, platform_admin):
    admin = factories.member(authority, "authority_admin")
    factories.member(authority, "commissioner")  # not an admin: not notified
    owned, platform_owned = factories.OrganisationFactory(), factories.OrganisationFactory()
    problem_check.problems = {owned: authority.pk, platform_owned: None}

    services.check_run(check_id="tests.problems", now=now)
    services.check_run(check_id="tests.problems", now=now + timedelta(hours=1))

    notifications = Notification.objects.order_by("recipient__email")
    assert {n.recipient for n in notifications} == {admin, platform_admin}
    assert all(n.subject == "1 new compliance finding: Test problems" for n in notifications)
    assert "?check=tests.problems&status=open" in notifications[0].url
    emails = OutboxMessage.objects.filter(task_name=EMAIL_TASK)
    assert sorted(m.args[0] for m in emails) == sorted(n.pk for n in notifications)


def test_a_run_costs_the_same_queries_for_3_or_30_new_findings(problem_check, now, platform_admin):
    def queries_for(count: int) -> int:
        Finding.objects.all().delete()
        problem_check.problems = {factories.OrganisationFactory(): None for _ in range(count)}
        with CaptureQueriesContext(connection) as captured:
            services.check_run(check_id="tests.problems", now=now)
        return len(captured)

    assert queries_for(3) == queries_for(30)


def test_due_checks_run_when_their_interval_has_elapsed(only_checks, now):
    only_checks("tests.hourly", lambda now: [], interval=timedelta(hours=1))
    only_checks("tests.daily", lambda now: [], interval=timedelta(hours=24))

    def due_at(moment):
        return sorted(run.check_id for run in services.run_due_checks(now=moment))

    assert due_at(now) == ["tests.daily", "tests.hourly"]  # never run
    assert due_at(now + timedelta(minutes=30)) == []
    assert due_at(now + timedelta(minutes=59, seconds=30)) == ["tests.hourly"]  # beat latency
    assert due_at(now + timedelta(hours=1, minutes=15)) == []
    assert due_at(now + timedelta(hours=24)) == ["tests.daily", "tests.hourly"]


def test_a_failed_run_does_not_count_as_done(only_checks, now):
    calls = []

    def flaky(now):
        calls.append(now)
        if len(calls) == 1:
            raise ConnectionError("database went away")
        return []

    only_checks("tests.flaky", flaky, interval=timedelta(hours=24))
    assert not services.run_due_checks(now=now)[0].succeeded
    assert services.run_due_checks(now=now + timedelta(minutes=15))[0].succeeded
    assert services.run_due_checks(now=now + timedelta(minutes=30)) == []


def test_the_beat_task_runs_due_checks(only_checks, problem_check, now):
    from compliance.tasks import run_check, run_due_checks

    problem_check.problems = {factories.OrganisationFactory(): None}
    assert run_due_checks() == {"tests.problems": "1 opened, 0 still open, 0 resolved"}
    assert run_due_checks() == {}
    assert run_check("tests.problems") == "0 opened, 1 still open, 0 resolved"
