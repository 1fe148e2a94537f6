"""The citizens compliance checks: each finds its problem, and nothing when all is well."""

import datetime
from decimal import Decimal

from django.utils import timezone

from citizens import compliance, crypto
from citizens.models import (
    Attendance,
    Decision,
    ExpenseClaim,
    PanelMembership,
    PanelRole,
    PanelSession,
    PoolEntry,
    SensitiveAnswers,
)
from compliance.registry import all_checks
from tests.citizens.conftest import seat

NOW = timezone.now()


def messages(check, now=NOW):
    return [finding.message for finding in check(now)]


def test_checks_are_registered():
    ids = {check.id for check in all_checks()}
    assert {"citizens.sessions_inquorate", "citizens.claims_unpaid",
            "citizens.guardian_consent_missing", "citizens.sensitive_past_retention",
            "citizens.response_overdue"} <= ids


def session(panel, days_ago, present, members, recorder):
    meeting = PanelSession.objects.create(
        panel=panel, title=f"S{days_ago}", starts_at=NOW - datetime.timedelta(days=days_ago),
        ends_at=NOW - datetime.timedelta(days=days_ago, hours=-2), mode="online",
        agenda="-", attendance_recorded_at=NOW)
    for i, membership in enumerate(members):
        Attendance.objects.create(session=meeting, membership=membership, recorded_by=recorder,
                                  status="present" if i < present else "absent")
    return meeting


def test_inquorate_twice_in_a_row(panel, members, officer):
    memberships = list(panel.memberships.filter(role=PanelRole.MEMBER))
    session(panel, 30, 4, memberships, officer)  # quorum of a 6-seat panel is 4
    session(panel, 20, 2, memberships, officer)
    assert messages(compliance.sessions_inquorate) == []
    session(panel, 10, 3, memberships, officer)
    assert messages(compliance.sessions_inquorate) == [
        "“Food Futures Panel” was below its quorum of 4 at its last two sessions "
        "(2 then 3 attended)."]


def test_unpaid_claims_after_thirty_days(panel, members, officer):
    membership = panel.memberships.filter(role=PanelRole.MEMBER).first()
    meeting = session(panel, 40, 4, [membership], officer)
    claim = ExpenseClaim.objects.create(session=meeting, membership=membership, kind="expenses",
                                        amount=Decimal("12.50"), bank_details=b"x",
                                        account_last_digits="1234")
    assert messages(compliance.claims_unpaid) == []
    ExpenseClaim.objects.filter(pk=claim.pk).update(created_at=NOW - datetime.timedelta(days=31))
    assert len(messages(compliance.claims_unpaid)) == 1
    ExpenseClaim.objects.filter(pk=claim.pk).update(status=ExpenseClaim.Status.PAID)
    assert messages(compliance.claims_unpaid) == []


def test_young_member_without_consent(panel):
    seat(panel, PanelRole.YOUNG_MEMBER)
    assert "no guardian's consent" in messages(compliance.guardian_consent_missing)[0]
    PanelMembership.objects.filter(role=PanelRole.YOUNG_MEMBER).update(guardian_consent_at=NOW)
    assert messages(compliance.guardian_consent_missing) == []


def test_sensitive_answers_past_retention(panel):
    entry = PoolEntry.objects.create(
        panel=panel, full_name="A", email="a@example.org", postcode="LS1 1UR", age_band="35-44",
        household_key="k", source="registration", consent_selection_at=NOW,
        consent_contact_at=NOW, consent_version="1")
    answers = SensitiveAnswers.objects.create(entry=entry, ciphertext=crypto.encrypt_json({}),
                                              purge_after=NOW.date() + datetime.timedelta(1))
    assert messages(compliance.sensitive_past_retention) == []
    answers.purge_after = NOW.date() - datetime.timedelta(days=2)
    answers.save()
    assert "1 people's sensitive answers" in messages(compliance.sensitive_past_retention)[0]


def test_response_overdue_after_twenty_working_days(panel, officer):
    decision = Decision.objects.create(panel=panel, title="Fund what", question="?",
                                       method="irv", status=Decision.Status.CLOSED,
                                       closed_at=NOW - datetime.timedelta(days=10),
                                       created_by=officer)
    assert messages(compliance.response_overdue) == []
    Decision.objects.filter(pk=decision.pk).update(closed_at=NOW - datetime.timedelta(days=40))
    assert "no official response within 20 working days" in messages(
        compliance.response_overdue)[0]
