"""The organisations app's checks: overdue verification and authority staff without 2FA."""

from __future__ import annotations

import datetime

import pytest

from compliance import services
from compliance.models import Finding
from core.models import Notification
from organisations.compliance import staff_without_mfa, verification_cutoff, verification_overdue
from organisations.models import Membership, Organisation, Role
from tests import factories
from tests.compliance.conftest import LONDON

pytestmark = pytest.mark.django_db

VERIFICATION = "organisations.verification_overdue"
MFA = "organisations.staff_without_mfa"


def at(day: int, month: int = 4, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=LONDON)


def pending(submitted_at, **fields) -> Organisation:
    return factories.OrganisationFactory(
        verification_status=Organisation.Verification.PENDING, submitted_at=submitted_at, **fields
    )


def test_cutoff_counts_working_days_around_easter():
    # Five working days after Thursday 2 April 2026: 7, 8, 9, 10 and 13 April.
    assert verification_cutoff(at(13), 5) == datetime.datetime(2026, 4, 2, tzinfo=LONDON)
    assert verification_cutoff(at(14), 5) == datetime.datetime(2026, 4, 7, tzinfo=LONDON)
    # Over the Easter weekend the clock stands still at Thursday 2 April.
    assert verification_cutoff(at(6), 5) == verification_cutoff(at(2), 5)


def test_providers_waiting_more_than_five_working_days_are_overdue():
    before_easter = pending(at(2, hour=17))
    after_easter = pending(at(7))
    factories.OrganisationFactory(submitted_at=at(1))  # verified already
    factories.AuthorityFactory(
        verification_status=Organisation.Verification.PENDING, submitted_at=at(1)
    )

    assert list(verification_overdue(at(13, hour=23))) == []  # exactly five working days

    (spec,) = verification_overdue(at(14, hour=9))
    assert spec.subject[1] == before_easter.pk
    assert spec.organisation_id is None  # the platform's admins verify providers
    assert "2 April 2026" in spec.message and "waited 6 working days" in spec.message
    assert after_easter.pk not in [s.subject[1] for s in verification_overdue(at(14, hour=9))]


def test_overdue_verification_is_a_platform_finding_and_resolves_once_verified(platform_admin):
    organisation = pending(at(2))
    services.check_run(check_id=VERIFICATION, now=at(14))

    finding = Finding.objects.get(check_id=VERIFICATION)
    assert (finding.subject, finding.organisation, finding.severity) == (organisation, None, "high")
    assert Notification.objects.get().recipient == platform_admin

    Organisation.objects.filter(pk=organisation.pk).update(
        verification_status=Organisation.Verification.VERIFIED
    )
    run = services.check_run(check_id=VERIFICATION, now=at(15))
    assert run.resolved_count == 1


def test_authority_staff_without_an_authenticator_are_found(authority, commissioner):
    no_mfa = factories.member(authority, Role.EVALUATOR, full_name="Sam Patel")
    factories.MembershipFactory(user=no_mfa, organisation=authority, role=Role.GRANT_MANAGER)
    factories.member(authority, Role.COMMISSIONER, is_active=False)
    provider = factories.OrganisationFactory()
    factories.member(provider, Role.PROVIDER_ADMIN)  # providers are not asked for 2FA

    specs = list(staff_without_mfa(at(14)))

    assert len(specs) == 1  # one per person and authority, however many roles
    (spec,) = specs
    first_membership = Membership.objects.filter(user=no_mfa).order_by("pk").first()
    assert spec.subject[1] == first_membership.pk
    assert spec.organisation_id == authority.pk
    assert "Sam Patel" in spec.message


def test_staff_in_two_authorities_get_a_finding_in_each(authority):
    other = factories.AuthorityFactory()
    person = factories.member(authority, Role.COMMISSIONER)
    factories.MembershipFactory(user=person, organisation=other, role=Role.EVALUATOR)
    assert sorted(s.organisation_id for s in staff_without_mfa(at(14))) == sorted(
        [authority.pk, other.pk]
    )


def test_mfa_findings_go_to_the_authoritys_admins_and_resolve_after_setup(
    authority, authority_admin
):
    person = factories.member(authority, Role.COMMISSIONER)
    services.check_run(check_id=MFA, now=at(14))
    finding = Finding.objects.get(check_id=MFA)
    assert finding.organisation == authority
    assert Notification.objects.get().recipient == authority_admin

    factories.with_totp(person)
    assert services.check_run(check_id=MFA, now=at(15)).resolved_count == 1
