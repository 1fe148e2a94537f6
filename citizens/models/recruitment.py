"""The recruitment pool: who registered, what they consented to, and their sensitive answers.

The stratification answers (gender, ethnicity, disability, area, attitude...) never sit beside
the person's name: they live in ``SensitiveAnswers``, encrypted at rest (see
``citizens.crypto``), and are purged on the panel's retention schedule.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


def new_pseudonym() -> str:
    return f"P-{secrets.token_hex(6)}"


class Quota(models.Model):
    """One value of one stratification feature, with the seats it must have on the panel."""

    panel = models.ForeignKey("citizens.Panel", on_delete=models.CASCADE, related_name="quotas")
    feature = models.SlugField(max_length=40, help_text="Such as gender or age_band.")
    feature_label = models.CharField(max_length=100)
    value = models.SlugField(max_length=40)
    value_label = models.CharField(max_length=100)
    minimum = models.PositiveSmallIntegerField()
    maximum = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["panel", "order", "feature", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "feature", "value"],
                                    name="citizens_quota_unique_value"),
            models.CheckConstraint(condition=models.Q(minimum__lte=models.F("maximum")),
                                   name="citizens_quota_min_le_max"),
        ]

    def __str__(self) -> str:
        return f"{self.feature_label}: {self.value_label} {self.minimum}–{self.maximum}"


class PoolEntry(TimeStampedModel):
    """A person who volunteered for a panel's pool (by the public page or a lottery mailout)."""

    class Source(models.TextChoices):
        REGISTRATION = "registration", "Registered online"
        IMPORT = "import", "Imported from a mailout"

    class Status(models.TextChoices):
        IN_POOL = "in_pool", "In the pool"
        SELECTED = "selected", "Selected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    panel = models.ForeignKey("citizens.Panel", on_delete=models.CASCADE,
                              related_name="pool_entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="pool_entries",
    )
    pseudonym = models.CharField(max_length=20, unique=True, default=new_pseudonym)
    full_name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    postcode = models.CharField(max_length=8)
    age_band = models.CharField(max_length=10)
    # A keyed hash of the normalised first address line and postcode: enough to see that two
    # people share a household, not enough to recover the address.
    household_key = models.CharField(max_length=64, db_index=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_POOL)
    consent_selection_at = models.DateTimeField()
    consent_contact_at = models.DateTimeField()
    consent_statistics_at = models.DateTimeField(null=True, blank=True)
    consent_version = models.CharField(max_length=20)

    class Meta:
        ordering = ["panel", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "email"],
                                    name="citizens_pool_one_entry_per_email"),
        ]
        indexes = [models.Index(fields=["panel", "status"]),
                   models.Index(fields=["panel", "household_key"])]

    def __str__(self) -> str:
        return self.pseudonym


class SensitiveAnswers(models.Model):
    """The encrypted stratification answers of one pool entry, purged after retention."""

    entry = models.OneToOneField(PoolEntry, on_delete=models.CASCADE, related_name="sensitive")
    ciphertext = models.BinaryField(blank=True, default=b"")
    purge_after = models.DateField(null=True, blank=True, db_index=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Sensitive answers of {self.entry_id}"
