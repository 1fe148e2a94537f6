from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.audit import audit_verify
from core.models import AuditEntry, Notification, OutboxMessage, StatusChange
from organisations import services
from organisations.models import Invitation, Membership, Organisation, Role
from tests import factories

PROFILE = {
    "name": "Eastside Food Bank", "legal_form": "cio", "charity_number": "1170001",
    "address_line_1": "2 Dock Road", "town": "Hull", "postcode": "hu1 1aa", "size": "micro",
    "is_vcse": True,
}


def test_registering_makes_a_pending_provider_with_the_registrant_as_admin(db, platform_admin):
    person = factories.UserFactory()
    organisation = services.organisation_register(actor=person, data=PROFILE)
    assert organisation.kind == "provider"
    assert organisation.verification_status == "pending"
    assert organisation.org_id == "GB-CHC-1170001"
    assert organisation.postcode == "HU1 1AA"
    assert Membership.objects.filter(user=person, organisation=organisation,
                                     role=Role.PROVIDER_ADMIN).exists()
    assert AuditEntry.objects.filter(action="organisation.registered",
                                     object_id=str(organisation.pk)).exists()
    assert Notification.objects.filter(recipient=platform_admin,
                                       subject__contains="Eastside Food Bank").exists()
    assert audit_verify().ok


def test_verification_is_a_recorded_transition_that_tells_the_admins(platform_admin):
    organisation = factories.OrganisationFactory(verification_status="pending")
    admin = factories.member(organisation, Role.PROVIDER_ADMIN)
    services.organisation_verify(actor=platform_admin, organisation=organisation)
    organisation.refresh_from_db()
    assert organisation.verification_status == "verified"
    change = StatusChange.objects.get(object_id=organisation.pk)
    assert (change.from_status, change.to_status, change.actor) == ("pending", "verified",
                                                                     platform_admin)
    assert Notification.objects.filter(recipient=admin, subject__contains="is verified").exists()
    with pytest.raises(ValidationError):
        services.organisation_verify(actor=platform_admin, organisation=organisation)


def test_rejection_needs_a_reason_and_the_organisation_can_resubmit(platform_admin):
    organisation = factories.OrganisationFactory(verification_status="pending")
    admin = factories.member(organisation, Role.PROVIDER_ADMIN)
    with pytest.raises(ValidationError):
        services.organisation_reject(actor=platform_admin, organisation=organisation, reason=" ")
    services.organisation_reject(actor=platform_admin, organisation=organisation,
                                 reason="The charity number belongs to another charity.")
    organisation.refresh_from_db()
    assert organisation.verification_status == "rejected"
    assert "another charity" in organisation.rejection_reason
    services.organisation_resubmit(actor=admin, organisation=organisation)
    organisation.refresh_from_db()
    assert organisation.verification_status == "pending"


def test_only_platform_admins_verify(db):
    organisation = factories.OrganisationFactory(verification_status="pending")
    admin = factories.member(organisation, Role.PROVIDER_ADMIN)
    with pytest.raises(PermissionDenied):
        services.organisation_verify(actor=admin, organisation=organisation)


def test_profile_updates_are_audited_with_what_changed(provider, provider_admin):
    services.organisation_update(actor=provider_admin, organisation=provider,
                                 data={"name": "Renamed Trust"})
    entry = AuditEntry.objects.filter(action="organisation.updated").latest("sequence")
    assert entry.changes["name"][1] == "Renamed Trust"


def test_a_bid_writer_cannot_change_the_profile(provider, bid_writer):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=bid_writer, organisation=provider,
                                     data={"name": "Hijacked"})


def test_invitation_gives_a_role_to_the_invited_email_only(authority, authority_admin):
    invitation = services.invitation_create(actor=authority_admin, organisation=authority,
                                            email="New.Person@Example.org", role=Role.EVALUATOR)
    assert invitation.email == "new.person@example.org"
    assert OutboxMessage.objects.filter(task_name="organisations.send_invitation_email",
                                        args=[invitation.pk]).exists()
    stranger = factories.UserFactory(email="someone.else@example.org")
    with pytest.raises(ValidationError, match="Sign in with that email"):
        services.invitation_accept(actor=stranger, invitation=invitation)
    invited = factories.UserFactory(email="new.person@example.org")
    services.invitation_accept(actor=invited, invitation=invitation)
    assert Membership.objects.filter(user=invited, organisation=authority,
                                     role=Role.EVALUATOR).exists()
    with pytest.raises(ValidationError, match="already used"):
        services.invitation_accept(actor=invited, invitation=invitation)


def test_expired_invitations_cannot_be_accepted(authority, authority_admin):
    invitation = services.invitation_create(actor=authority_admin, organisation=authority,
                                            email="late@example.org", role=Role.COMMISSIONER)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    invitation.refresh_from_db()
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(actor=factories.UserFactory(email="late@example.org"),
                                   invitation=invitation)


def test_invitations_respect_the_kind_of_organisation(provider, provider_admin):
    with pytest.raises(ValidationError):
        services.invitation_create(actor=provider_admin, organisation=provider,
                                   email="x@example.org", role=Role.COMMISSIONER)
    services.invitation_create(actor=provider_admin, organisation=provider,
                               email="x@example.org", role=Role.BID_WRITER)
    with pytest.raises(ValidationError, match="open invitation"):
        services.invitation_create(actor=provider_admin, organisation=provider,
                                   email="x@example.org", role=Role.BID_WRITER)


def test_an_unverified_provider_cannot_invite_yet(db):
    organisation = factories.OrganisationFactory(verification_status="pending")
    admin = factories.member(organisation, Role.PROVIDER_ADMIN)
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=admin, organisation=organisation,
                                   email="x@example.org", role=Role.BID_WRITER)


def test_the_last_admin_cannot_be_removed(provider, provider_admin):
    membership = Membership.objects.get(user=provider_admin, organisation=provider)
    with pytest.raises(ValidationError, match="at least one administrator"):
        services.membership_remove(actor=provider_admin, membership=membership)
    second = factories.member(provider, Role.PROVIDER_ADMIN)
    services.membership_remove(actor=second, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_platform_admins_add_authorities_and_invite_their_first_admin(platform_admin):
    authority = services.authority_create(
        actor=platform_admin, admin_email="chief@council.example.org",
        data={"name": "Westshire Council", "authority_code": "wsh", "address_line_1": "Town Hall",
              "town": "Westby", "postcode": "LS1 1UR"})
    assert authority.is_authority and authority.is_verified
    assert authority.org_id == "GB-LAE-WSH"
    assert Invitation.objects.get(organisation=authority).role == Role.AUTHORITY_ADMIN


def test_others_cannot_add_authorities(provider_admin):
    with pytest.raises(PermissionDenied):
        services.authority_create(actor=provider_admin, admin_email="a@example.org",
                                  data={"name": "Fake Council"})


def test_organisation_profile_is_one_row_reused(provider):
    assert Organisation.objects.filter(name=provider.name).count() == 1
