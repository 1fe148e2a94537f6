"""One selection run: frozen pool, published commitment, public seed, algorithm and result."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


class SelectionRun(TimeStampedModel):
    """The lottery that filled (or topped up) a panel, recorded so anyone can re-run it.

    Order of events, enforced by the services: freeze (the pseudonymised pool and the quotas
    are copied here and hashed; the hash is published) → seed (a public draw, entered after
    the freeze) → run (a Celery task) → invitations.
    """

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial selection"
        REPLACEMENT = "replacement", "Replacement for drop-outs"

    class Status(models.TextChoices):
        FROZEN = "frozen", "Pool frozen, waiting for the public seed"
        QUEUED = "queued", "Waiting to run"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Selected"
        FAILED = "failed", "Could not select"

    panel = models.ForeignKey("citizens.Panel", on_delete=models.CASCADE,
                              related_name="selection_runs")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INITIAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.FROZEN)
    seats = models.PositiveSmallIntegerField()
    pool = models.JSONField(help_text="Pseudonymised rows: id, household, feature values.")
    quotas = models.JSONField(help_text="feature, value, min, max rows as they were frozen.")
    already_selected = models.JSONField(default=list, blank=True)
    pool_hash = models.CharField(max_length=64)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    seed = models.BigIntegerField(null=True, blank=True)
    seed_source = models.TextField(blank=True, help_text="How the public draw was made, witnesses.")
    seeded_at = models.DateTimeField(null=True, blank=True)
    seeded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    algorithm_requested = models.CharField(max_length=20, default="maximin")
    algorithm_used = models.CharField(max_length=20, blank=True)
    # New runs record CITIZENS_SORTITION_SOLVER (default "highs", selection_freeze); the
    # column's default is for runs drawn before a solver was recorded: the library's backend.
    solver = models.CharField(max_length=20, default="highspy")
    library_version = models.CharField(max_length=20, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    selected = models.JSONField(default=list, blank=True, help_text="Pseudonyms selected.")
    probabilities = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.panel}"
