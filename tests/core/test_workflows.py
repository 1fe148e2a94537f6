"""The workflow engine, exercised with a verification workflow over Organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_verify
from core.models import AuditEntry, ImmutableRowError, StatusChange
from core.workflows import State, Transition, Workflow, history, transition
from organisations.models import Organisation
from tests import factories

PENDING, VERIFIED, REJECTED = (
    Organisation.Verification.PENDING,
    Organisation.Verification.VERIFIED,
    Organisation.Verification.REJECTED,
)
effects_run: list[tuple[int, int]] = []


def is_platform_admin(actor, obj) -> bool:
    return getattr(actor, "is_platform_admin", False)


def has_postcode(org) -> str | None:
    return None if org.postcode else "Add the organisation's postcode before verifying it."


def has_legal_form(org) -> str | None:
    return None if org.legal_form else "Choose the organisation's legal form."


def remember_effect(org, change) -> None:
    effects_run.append((org.pk, change.pk))


VERIFICATION = Workflow(
    name="organisation_verification",
    field_name="verification_status",
    states=[
        State(PENDING, "Awaiting verification", "Being checked", "blue"),
        State(VERIFIED, "Verified", "Verified", "green"),
        State(REJECTED, "Rejected", "Not verified", "red"),
    ],
    transitions=[
        Transition("verify", (PENDING,), VERIFIED, "Verify the organisation", is_platform_admin,
                   guards=(has_postcode, has_legal_form), effects=(remember_effect,)),
        Transition("reject", (PENDING,), REJECTED, "Reject the organisation", is_platform_admin,
                   requires_reason=True),
        Transition("reopen", (REJECTED,), PENDING, "Reopen the check", is_platform_admin),
    ],
)


@pytest.fixture(autouse=True)
def clear_effects():
    effects_run.clear()


@pytest.fixture
def pending_org(db):
    return factories.OrganisationFactory(verification_status=PENDING)


def reload(org: Organisation) -> str:
    return Organisation.objects.get(pk=org.pk).verification_status


def test_allowed_actor_moves_the_object_and_records_history(pending_org, platform_admin):
    change = transition(obj=pending_org, workflow=VERIFICATION, name="verify", actor=platform_admin)

    assert pending_org.verification_status == VERIFIED
    assert reload(pending_org) == VERIFIED
    assert (change.from_status, change.to_status) == (PENDING, VERIFIED)
    assert change.actor == platform_admin
    assert change.workflow == "organisation_verification"
    assert list(history(pending_org)) == [change]


def test_denied_actor_gets_permission_denied_and_nothing_changes(pending_org, provider_admin):
    with pytest.raises(PermissionDenied, match="You are not allowed to verify the organisation."):
        transition(obj=pending_org, workflow=VERIFICATION, name="verify", actor=provider_admin)

    assert reload(pending_org) == PENDING
    assert not StatusChange.objects.exists()
    assert not AuditEntry.objects.exists()


def test_guard_messages_are_validation_errors(pending_org, platform_admin):
    Organisation.objects.filter(pk=pending_org.pk).update(postcode="", legal_form="")

    with pytest.raises(ValidationError) as caught:
        transition(obj=pending_org, workflow=VERIFICATION, name="verify", actor=platform_admin)

    assert caught.value.messages == [
        "Add the organisation's postcode before verifying it.",
        "Choose the organisation's legal form.",
    ]
    assert reload(pending_org) == PENDING


def test_guards_read_the_locked_row_not_the_callers_stale_copy(pending_org, platform_admin):
    Organisation.objects.filter(pk=pending_org.pk).update(postcode="")

    assert pending_org.postcode  # the caller's copy still looks fine
    with pytest.raises(ValidationError, match="postcode"):
        transition(obj=pending_org, workflow=VERIFICATION, name="verify", actor=platform_admin)


@pytest.mark.parametrize("reason", ["", "   "])
def test_requires_reason(pending_org, platform_admin, reason):
    with pytest.raises(ValidationError, match="Give a reason."):
        transition(obj=pending_org, workflow=VERIFICATION, name="reject", actor=platform_admin,
                   reason=reason)

    assert reload(pending_org) == PENDING


def test_reason_is_stored_trimmed(pending_org, platform_admin):
    change = transition(obj=pending_org, workflow=VERIFICATION, name="reject",
                        actor=platform_admin, reason="  Charity number does not match.  ")

    assert change.reason == "Charity number does not match."
    assert reload(pending_org) == REJECTED


def test_status_change_rows_are_immutable(pending_org, platform_admin):
    change = transition(obj=pending_org, workflow=VERIFICATION, name="verify", actor=platform_admin)

    change.reason = "rewritten"
    with pytest.raises(ImmutableRowError):
        change.save()
    with pytest.raises(ImmutableRowError):
        change.delete()
    assert StatusChange.objects.get().reason == ""


def test_transition_writes_an_audit_entry(pending_org, platform_admin):
    transition(obj=pending_org, workflow=VERIFICATION, name="reject", actor=platform_admin,
               reason="Duplicate", organisation_id=pending_org.pk)

    entry = AuditEntry.objects.get()
    assert entry.action == "organisation_verification.reject"
    assert entry.object_type == "organisations.organisation"
    assert entry.object_id == str(pending_org.pk)
    assert entry.actor_id == platform_admin.pk and entry.organisation_id == pending_org.pk
    assert entry.changes == {"status": [PENDING, REJECTED], "reason": "Duplicate"}
    assert entry.summary == "Reject the organisation: Awaiting verification → Rejected"
    assert audit_verify().ok


def test_effects_run_only_after_commit(pending_org, platform_admin,
                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change = transition(obj=pending_org, workflow=VERIFICATION, name="verify",
                            actor=platform_admin)
        assert effects_run == []

    assert effects_run == [] and len(callbacks) == 1
    callbacks[0]()
    assert effects_run == [(pending_org.pk, change.pk)]


def test_effects_never_run_when_the_transaction_rolls_back(
    pending_org, platform_admin, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        transition(obj=pending_org, workflow=VERIFICATION, name="verify", actor=platform_admin)
        raise RuntimeError("a later step failed")

    assert callbacks == [] and effects_run == []
    assert reload(pending_org) == PENDING
    assert not StatusChange.objects.exists() and not AuditEntry.objects.exists()


def test_transition_not_available_from_the_current_state(pending_org, platform_admin):
    transition(obj=pending_org, workflow=VERIFICATION, name="verify", actor=platform_admin)

    with pytest.raises(ValidationError, match="You cannot verify this while it is verified."):
        transition(obj=pending_org, workflow=VERIFICATION, name="verify", actor=platform_admin)
    with pytest.raises(ValidationError, match="You cannot reopen this while it is verified."):
        transition(obj=pending_org, workflow=VERIFICATION, name="reopen", actor=platform_admin)


def test_unknown_transition_name(pending_org, platform_admin):
    with pytest.raises(ValidationError, match="You cannot fast track this while it is awaiting"):
        transition(obj=pending_org, workflow=VERIFICATION, name="fast_track", actor=platform_admin)


def test_available_lists_only_what_the_actor_may_do_now(pending_org, platform_admin,
                                                        provider_admin):
    assert [t.name for t in VERIFICATION.available(pending_org, platform_admin)] == [
        "verify", "reject",
    ]
    assert VERIFICATION.available(pending_org, provider_admin) == []

    transition(obj=pending_org, workflow=VERIFICATION, name="reject", actor=platform_admin,
               reason="Duplicate")
    assert [t.name for t in VERIFICATION.available(pending_org, platform_admin)] == ["reopen"]


def test_a_full_round_trip_keeps_an_ordered_history(pending_org, platform_admin):
    for name, reason in [("reject", "Wrong number"), ("reopen", ""), ("verify", "")]:
        transition(obj=pending_org, workflow=VERIFICATION, name=name, actor=platform_admin,
                   reason=reason)

    steps = [(c.from_status, c.to_status) for c in history(pending_org)]
    assert steps == [(PENDING, REJECTED), (REJECTED, PENDING), (PENDING, VERIFIED)]
    assert audit_verify().checked == 3


def test_workflow_refuses_transitions_naming_unknown_states():
    with pytest.raises(ValueError, match=r"broken\.archive names unknown states \['archived'\]"):
        Workflow(
            name="broken",
            field_name="verification_status",
            states=[State(PENDING, "Pending", "Pending")],
            transitions=[
                Transition("archive", (PENDING,), "archived", "Archive", is_platform_admin)
            ],
        )


def test_states_give_choices_and_labels():
    assert VERIFICATION.choices == [
        (PENDING, "Awaiting verification"), (VERIFIED, "Verified"), (REJECTED, "Rejected"),
    ]
    assert VERIFICATION.state(REJECTED).public_label == "Not verified"
