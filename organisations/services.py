"""Writes about organisations: registration, verification, invitations, memberships."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.documents import DocumentPolicy, document_store
from core.notifications import notify
from core.outbox import enqueue
from core.workflows import transition
from organisations.models import (
    AUTHORITY_ROLES,
    PROVIDER_ROLES,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from organisations.selectors import admins_of, platform_admins, roles_forget
from organisations.workflows import VERIFICATION

GOVERNING_DOCUMENT_POLICY = DocumentPolicy(kinds=frozenset({"pdf", "docx", "odt"}))
INVITATION_LIFETIME = timedelta(days=14)
PROFILE_FIELDS = (
    "name", "legal_form", "charity_number", "company_number", "oscr_number", "fca_number",
    "address_line_1", "address_line_2", "town", "postcode", "website", "size", "is_vcse",
)


@transaction.atomic
def organisation_register(
    *, actor, data: dict[str, Any], governing_document_file=None
) -> Organisation:
    """A person registers a provider organisation; they become its administrator."""
    organisation = Organisation(kind=Organisation.Kind.PROVIDER, submitted_at=timezone.now())
    _apply(organisation, data)
    if governing_document_file is not None:
        organisation.governing_document = _store_governing_document(actor, governing_document_file)
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(user=actor, organisation=organisation, role=Role.PROVIDER_ADMIN)
    roles_forget(user=actor)
    audit_record(actor=actor, action="organisation.registered", obj=organisation,
                 organisation_id=organisation.pk, summary=f"Registered {organisation.name}",
                 changes=_snapshot(organisation))
    notify(
        recipients=platform_admins(),
        subject=f"New organisation to verify: {organisation.name}",
        body=f"{organisation.name} ({organisation.get_legal_form_display()}) registered and "
        "is waiting for verification.",
        url=reverse("organisations:verification_detail", args=[organisation.pk]),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, data: dict[str, Any], governing_document_file=None
) -> Organisation:
    """An organisation admin edits the profile that every bid and application reuses."""
    if not actor.has_perm("organisations.change_organisation", organisation):
        raise PermissionDenied
    before = _snapshot(organisation)
    _apply(organisation, data)
    if governing_document_file is not None:
        organisation.governing_document = _store_governing_document(actor, governing_document_file)
    organisation.full_clean()
    organisation.save()
    after = _snapshot(organisation)
    changed = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
    audit_record(actor=actor, action="organisation.updated", obj=organisation,
                 organisation_id=organisation.pk, summary="Updated the organisation profile",
                 changes=changed)
    return organisation


def organisation_verify(*, actor, organisation: Organisation) -> Organisation:
    """A platform admin confirms the organisation is who it says it is."""
    with transaction.atomic():
        transition(obj=organisation, workflow=VERIFICATION, name="verify", actor=actor,
                   organisation_id=organisation.pk)
        organisation.rejection_reason = ""
        organisation.save(update_fields=["rejection_reason", "updated_at"])
        _tell_admins(organisation, f"{organisation.name} is verified",
                     "Your organisation is verified. You can now bid and apply for funding.")
    return organisation


def organisation_reject(*, actor, organisation: Organisation, reason: str) -> Organisation:
    """A platform admin rejects the registration, with a reason the organisation can act on."""
    with transaction.atomic():
        transition(obj=organisation, workflow=VERIFICATION, name="reject", actor=actor,
                   reason=reason, organisation_id=organisation.pk)
        organisation.rejection_reason = reason.strip()
        organisation.save(update_fields=["rejection_reason", "updated_at"])
        _tell_admins(organisation, f"{organisation.name} could not be verified",
                     f"We could not verify your organisation. Reason: {reason.strip()}\n"
                     "Correct your organisation profile and send it for verification again.")
    return organisation


def organisation_resubmit(*, actor, organisation: Organisation) -> Organisation:
    with transaction.atomic():
        transition(obj=organisation, workflow=VERIFICATION, name="resubmit", actor=actor,
                   organisation_id=organisation.pk)
        organisation.submitted_at = timezone.now()
        organisation.save(update_fields=["submitted_at", "updated_at"])
        notify(recipients=platform_admins(),
               subject=f"Organisation to verify again: {organisation.name}",
               body=f"{organisation.name} corrected its profile and asks to be verified.",
               url=reverse("organisations:verification_detail", args=[organisation.pk]))
    return organisation


@transaction.atomic
def authority_create(*, actor, data: dict[str, Any], admin_email: str) -> Organisation:
    """A platform admin adds a public authority and invites its first administrator."""
    if not (actor.is_authenticated and actor.is_platform_admin):
        raise PermissionDenied
    authority = Organisation(
        kind=Organisation.Kind.AUTHORITY, legal_form=Organisation.LegalForm.PUBLIC_BODY,
        size=Organisation.Size.LARGE, verification_status=Organisation.Verification.VERIFIED,
    )
    _apply(authority, {k: v for k, v in data.items() if k != "legal_form"})
    authority.authority_code = (data.get("authority_code") or "").upper()
    authority.authority_type = data.get("authority_type") or Organisation.AuthorityType.SUB_CENTRAL
    authority.full_clean()
    authority.save()
    audit_record(actor=actor, action="organisation.authority_created", obj=authority,
                 organisation_id=authority.pk, summary=f"Added authority {authority.name}",
                 changes=_snapshot(authority))
    invitation_create(actor=actor, organisation=authority, email=admin_email,
                      role=Role.AUTHORITY_ADMIN)
    return authority


@transaction.atomic
def organisation_authority_type_set(*, actor, organisation: Organisation,
                                    authority_type: str) -> Organisation:
    """A platform admin records which class of authority the Procurement Act puts it in.

    The type is a legal fact about the body, not a preference: it sets the thresholds, the
    below-threshold notifiable value and the social value floor, so only platform admins set it.
    """
    if not (actor.is_authenticated and actor.is_platform_admin):
        raise PermissionDenied
    if not organisation.is_authority:
        raise ValidationError({"authority_type": "Only a public authority has an authority type."})
    if authority_type not in Organisation.AuthorityType.values:
        raise ValidationError({"authority_type": "Choose the type of authority."})
    before = organisation.authority_type
    organisation.authority_type = authority_type
    organisation.save(update_fields=["authority_type", "updated_at"])
    audit_record(actor=actor, action="organisation.authority_type_set", obj=organisation,
                 organisation_id=organisation.pk,
                 summary=f"Authority type set to {organisation.get_authority_type_display()}",
                 changes={"authority_type": [before, authority_type]})
    return organisation


@transaction.atomic
def invitation_create(*, actor, organisation: Organisation, email: str, role: str) -> Invitation:
    """Invite a person by email to take `role`; they accept through a link."""
    if not actor.has_perm("organisations.invite_member", organisation):
        raise PermissionDenied
    allowed = AUTHORITY_ROLES if organisation.is_authority else PROVIDER_ROLES
    if role not in allowed:
        raise ValidationError({"role": "Choose a role that this organisation can give."})
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email=email, role=role).exists():
        raise ValidationError({"email": "This person already has that role here."})
    if Invitation.objects.filter(organisation=organisation, email=email, role=role,
                                 accepted_at__isnull=True, revoked_at__isnull=True,
                                 expires_at__gt=timezone.now()).exists():
        raise ValidationError(
            {"email": "This person already has an open invitation for that role."})
    # An expired, unanswered invitation makes way for the new one.
    Invitation.objects.filter(organisation=organisation, email=email, role=role,
                              accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, token=secrets.token_urlsafe(32),
        invited_by=actor, expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    audit_record(actor=actor, action="invitation.created", obj=invitation,
                 organisation_id=organisation.pk,
                 summary=f"Invited {email} as {invitation.get_role_display()}")
    enqueue("organisations.send_invitation_email", invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, actor, invitation: Invitation) -> Membership:
    """The invited person, signed in with the invited address, takes the role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError("This invitation has expired or was already used. "
                              "Ask your organisation's administrator for a new one.")
    if actor.email.lower() != invitation.email.lower():
        raise ValidationError(f"This invitation was sent to {invitation.email}. Sign in with "
                              "that email address to accept it.")
    membership, _ = Membership.objects.get_or_create(
        user=actor, organisation=invitation.organisation, role=invitation.role)
    roles_forget(user=actor)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_record(actor=actor, action="invitation.accepted", obj=invitation,
                 organisation_id=invitation.organisation_id,
                 summary=f"Joined as {invitation.get_role_display()}")
    return membership


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    if not actor.has_perm("organisations.invite_member", invitation.organisation):
        raise PermissionDenied
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError("This invitation is no longer open.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=actor, action="invitation.revoked", obj=invitation,
                 organisation_id=invitation.organisation_id,
                 summary=f"Withdrew the invitation to {invitation.email}")
    return invitation


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """An organisation admin removes one role from a person; the last admin cannot go."""
    organisation = membership.organisation
    if not actor.has_perm("organisations.change_organisation", organisation):
        raise PermissionDenied
    admin_role = Role.AUTHORITY_ADMIN if organisation.is_authority else Role.PROVIDER_ADMIN
    if membership.role == admin_role and organisation.memberships.filter(
            role=admin_role).count() == 1:
        raise ValidationError("An organisation needs at least one administrator. Invite "
                              "another administrator before removing this one.")
    audit_record(actor=actor, action="membership.removed", obj=membership,
                 organisation_id=organisation.pk,
                 summary=f"Removed {membership.user.email} as {membership.get_role_display()}")
    membership.delete()
    roles_forget(user=membership.user)
    if actor.pk == membership.user_id:
        roles_forget(user=actor)


def _store_governing_document(actor, uploaded_file):
    return document_store(uploaded_file=uploaded_file, actor=actor,
                          policy=GOVERNING_DOCUMENT_POLICY)


def _apply(organisation: Organisation, data: dict[str, Any]) -> None:
    for field in PROFILE_FIELDS:
        if field in data:
            value = data[field]
            setattr(organisation, field, value.strip() if isinstance(value, str) else value)


def _snapshot(organisation: Organisation) -> dict[str, Any]:
    return {field: getattr(organisation, field) for field in (*PROFILE_FIELDS, "org_id")}


def _tell_admins(organisation: Organisation, subject: str, body: str) -> None:
    notify(recipients=admins_of(organisation=organisation), subject=subject, body=body,
           url=reverse("organisations:detail", args=[organisation.pk]))
