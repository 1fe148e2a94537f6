"""Organisations (authorities and providers), their identifiers, memberships and invitations.

One organisation profile is reused by every bid and application: it is never re-keyed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import Document, TimeStampedModel
from organisations import identifiers


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        AUTHORITY = "authority", "Public authority"
        PROVIDER = "provider", "Provider"

    class LegalForm(models.TextChoices):
        CHARITY = "charity", "Registered charity (unincorporated or trust)"
        CIO = "cio", "Charitable incorporated organisation (CIO)"
        CIC = "cic", "Community interest company (CIC)"
        CLG = "clg", "Company limited by guarantee"
        SOCIETY = "society", "Co-operative or community benefit society"
        MUTUAL = "mutual", "Public service mutual"
        SME = "sme", "Small or medium-sized business"
        LARGE = "large", "Large company"
        PUBLIC_BODY = "public_body", "Public body"

    class Size(models.TextChoices):
        MICRO = "micro", "Micro (fewer than 10 staff)"
        SMALL = "small", "Small (10 to 49 staff)"
        MEDIUM = "medium", "Medium (50 to 249 staff)"
        LARGE = "large", "Large (250 staff or more)"

    class AuthorityType(models.TextChoices):
        """The Procurement Act 2023 classes of authority that change thresholds and duties."""
        CENTRAL = "central", "Central government authority"
        SUB_CENTRAL = "sub_central", "Sub-central authority (for example a council)"
        NHS = "nhs", "NHS body (treated as central government)"
        DEVOLVED_WELSH = "devolved_welsh", "Devolved Welsh authority"
        UTILITY = "utility", "Utility"

    class Verification(models.TextChoices):
        PENDING = "pending", "Awaiting verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    legal_form = models.CharField(max_length=20, choices=LegalForm.choices)
    charity_number = models.CharField(
        "Charity Commission number", max_length=8, blank=True,
        validators=[identifiers.validate_charity_number],
    )
    company_number = models.CharField(
        "Companies House number", max_length=8, blank=True,
        validators=[identifiers.validate_company_number],
    )
    oscr_number = models.CharField(
        "OSCR number", max_length=8, blank=True, validators=[identifiers.validate_oscr_number]
    )
    fca_number = models.CharField(
        "FCA Mutuals Public Register number", max_length=8, blank=True,
        validators=[identifiers.validate_fca_number],
    )
    authority_code = models.CharField(
        "Local authority code", max_length=4, blank=True,
        validators=[identifiers.validate_authority_code],
        help_text="The code in the local authorities in England register, such as BIR.",
    )
    authority_type = models.CharField(
        "Authority type", max_length=20, choices=AuthorityType.choices, blank=True,
        help_text="Sets the procurement thresholds, the below-threshold notifiable value and "
        "the social value floor. Public authorities only.",
    )
    org_id = models.CharField(
        "Organisation identifier", max_length=40, blank=True, db_index=True,
        help_text="An org-id.guide identifier derived from the registered numbers.",
    )
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, validators=[identifiers.validate_postcode])
    website = models.URLField(blank=True)
    size = models.CharField(max_length=10, choices=Size.choices)
    is_vcse = models.BooleanField(
        "Voluntary, community or social enterprise (VCSE)", default=False
    )
    verification_status = models.CharField(
        max_length=20, choices=Verification.choices, default=Verification.PENDING, db_index=True
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    rejection_reason = models.TextField(blank=True)
    governing_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"encrypted": False},
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "verification_status", "submitted_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_sme(self) -> bool:
        return self.size != self.Size.LARGE

    @property
    def is_authority(self) -> bool:
        return self.kind == self.Kind.AUTHORITY

    @property
    def procurement_authority_type(self) -> str:
        """The authority type the procurement rules use: sub-central when none is recorded."""
        return self.authority_type or self.AuthorityType.SUB_CENTRAL

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED

    def save(self, *args, **kwargs):
        self.postcode = identifiers.normalise_postcode(self.postcode)
        self.company_number = identifiers.normalise_company_number(self.company_number)
        self.org_id = identifiers.derive_org_id(self)
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    AUTHORITY_ADMIN = "authority_admin", "Authority administrator"
    COMMISSIONER = "commissioner", "Commissioner"
    EVALUATOR = "evaluator", "Evaluator"
    GRANT_MANAGER = "grant_manager", "Grant manager"
    CONTRACT_MANAGER = "contract_manager", "Contract manager"
    PROGRAMME_OFFICER = "programme_officer", "Mutuals programme officer"
    PROVIDER_ADMIN = "provider_admin", "Organisation administrator"
    BID_WRITER = "bid_writer", "Bid writer"


AUTHORITY_ROLES = frozenset(
    {Role.AUTHORITY_ADMIN, Role.COMMISSIONER, Role.EVALUATOR, Role.GRANT_MANAGER,
     Role.CONTRACT_MANAGER, Role.PROGRAMME_OFFICER}
)
PROVIDER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.BID_WRITER})


class Membership(TimeStampedModel):
    """One role of one person in one organisation; a person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"


class Invitation(TimeStampedModel):
    """An organisation admin invites a person, by email, to take a role."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=30, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email", "role"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
