"""The panel as a closed space: its remit, phase, people and roles, materials and threads."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import Document, TimeStampedModel
from core.money import MoneyField
from organisations.models import Organisation


class PanelRole(models.TextChoices):
    MEMBER = "member", "Member"
    YOUNG_MEMBER = "young_member", "Young member"
    FACILITATOR = "facilitator", "Facilitator"
    OFFICER = "officer", "Commissioning officer"
    OBSERVER = "observer", "Observer"


VOTING_ROLES = frozenset({PanelRole.MEMBER, PanelRole.YOUNG_MEMBER})


class Panel(TimeStampedModel):
    """A citizen-commissioner panel run by one authority."""

    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="panels")
    title = models.CharField(max_length=200)
    purpose = models.TextField(help_text="Why the panel exists, in plain English.")
    remit = models.TextField(help_text="What the panel may decide or recommend, and what not.")
    feeds_decision = models.CharField(
        max_length=300, help_text="The commissioning decision the panel's work feeds."
    )
    size = models.PositiveSmallIntegerField(help_text="Seats on the panel.")
    term_start = models.DateField()
    term_end = models.DateField()
    phase = models.CharField(max_length=20, default="recruitment", db_index=True)
    is_young = models.BooleanField(
        "Young commissioners' panel", default=False,
        help_text="Members aged 12 to 18: guardian consent, easy-read options, moderated posts.",
    )
    registration_open = models.BooleanField(default=False)
    registration_closes_on = models.DateField(null=True, blank=True)
    retention_days = models.PositiveSmallIntegerField(
        default=180, help_text="Days after selection that sensitive pool answers are kept."
    )
    session_quorum = models.PositiveSmallIntegerField(
        default=0, help_text="Members who must attend a session for it to be quorate (0: half)."
    )
    honorarium_per_session = MoneyField(default=Decimal("0.00"))
    expenses_cap_per_session = MoneyField(default=Decimal("0.00"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["authority", "phase"])]

    def __str__(self) -> str:
        return self.title

    @property
    def quorum(self) -> int:
        return self.session_quorum or (self.size // 2 + 1)

    @property
    def retention(self) -> timedelta:
        return timedelta(days=self.retention_days)


class PanelMembership(TimeStampedModel):
    """One person's role on one panel. Members come from the selection; staff are appointed."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        AWAITING_GUARDIAN = "awaiting_guardian", "Waiting for a guardian's consent"
        ACTIVE = "active", "Taking part"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="panel_memberships",
    )
    role = models.CharField(max_length=20, choices=PanelRole.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    email = models.EmailField(blank=True, help_text="Where the invitation went.")
    pool_entry = models.OneToOneField(
        "citizens.PoolEntry", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="membership",
    )
    is_replacement = models.BooleanField(default=False)
    invitation_token = models.CharField(max_length=64, blank=True, db_index=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    invitation_resent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    guardian_email = models.EmailField(blank=True)
    guardian_token = models.CharField(max_length=64, blank=True, db_index=True)
    guardian_consent_at = models.DateTimeField(null=True, blank=True)
    guardian_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["panel", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "user", "role"], condition=Q(user__isnull=False),
                name="citizens_membership_unique_role",
            )
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.panel}"

    @property
    def is_voter(self) -> bool:
        return self.role in VOTING_ROLES and self.status == self.Status.ACTIVE

    @property
    def public_name(self) -> str:
        """What others on the panel see: young members are never named."""
        if self.role == PanelRole.YOUNG_MEMBER or self.user is None:
            return f"Young commissioner {self.pk}" if self.role == PanelRole.YOUNG_MEMBER else ""
        return self.user.full_name


class Material(TimeStampedModel):
    """Reading for the panel: a document with an easy-read summary."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="materials")
    session = models.ForeignKey(
        "citizens.PanelSession", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="materials",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What it says, in a few plain sentences.")
    easy_read_summary = models.TextField(blank=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Thread(TimeStampedModel):
    """A discussion topic inside the panel space."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=200)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    is_closed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Post(TimeStampedModel):
    """A message in a thread. On young panels every post waits for a facilitator."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden by a moderator"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    author_membership = models.ForeignKey(
        PanelMembership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    moderation_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "status"])]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread}"
