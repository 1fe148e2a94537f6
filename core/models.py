"""The shared kernel's tables: audit chain, status history, documents, notifications, outbox.

Nothing here knows about tenders, grants or panels; domain apps point at these rows.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ImmutableRowError(Exception):
    """Raised when code tries to change or remove a row that is history."""


class AppendOnlyModel(models.Model):
    """A row that is written once. PostgreSQL triggers enforce the same for raw SQL."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRowError(f"{type(self).__name__} rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError(f"{type(self).__name__} rows cannot be removed.")


class AuditEntry(AppendOnlyModel):
    """One meaningful action, chained to its predecessor by SHA-256 (see core.audit)."""

    # sequence, prev_hash and hash are NULL until the entry is sealed into the chain, just
    # after its transaction commits when another writer held the chain (ADR 0027).
    sequence = models.PositiveBigIntegerField(unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The actor is kept as id + label, not a foreign key, so that history never changes when
    # an account is anonymised or removed.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=254, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - NULL: unsealed
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["sequence", "id"]  # unsealed entries (no sequence yet) last
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["id"], condition=models.Q(sequence__isnull=True),
                         name="core_audit_unsealed_idx"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"


class AuditCheckpoint(AppendOnlyModel):
    """The database's copy of a signed checkpoint line (the line itself lives outside it).

    The file in ``AUDIT_CHECKPOINT_PATH`` is the authority; these rows let ``audit_verify``
    notice that the file was cut off, replaced or removed (see core.checkpoints).
    """

    number = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    sequence = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=40)
    line_digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Checkpoint #{self.number}: entry {self.sequence}"


class StatusChange(AppendOnlyModel):
    """Immutable history of every workflow transition (see core.workflows)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    workflow = models.CharField(max_length=100)
    from_status = models.CharField(max_length=40)
    to_status = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.workflow}: {self.from_status} → {self.to_status}"


class Document(TimeStampedModel):
    """An uploaded file, checked by content (not by name), hashed on receipt."""

    class ScanStatus(models.TextChoices):
        NOT_SCANNED = "not_scanned", "Not scanned (no scanner configured)"
        CLEAN = "clean", "No threats found"
        INFECTED = "infected", "Threat found: quarantined"
        FAILED = "failed", "Scan failed"

    file = models.FileField(upload_to="documents/%Y/%m/", max_length=300)
    original_name = models.CharField(
        max_length=255, help_text="The uploader's file name; for an encrypted document only a "
        "placeholder, the name itself is in sealed_name.")
    sealed_name = models.BinaryField(default=bytes, blank=True,
                                     help_text="The encrypted file name of an encrypted document.")
    kind = models.CharField(max_length=20, help_text="Sniffed type, such as pdf or docx.")
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    scan_status = models.CharField(
        max_length=20, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED
    )
    encrypted = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.original_name


class Notification(TimeStampedModel):
    """A message to one person: shown in the portal and sent by email after commit."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class OutboxMessage(models.Model):
    """A task to publish to the broker, written in the same transaction as the change.

    If the broker is unreachable at commit time the row waits here and the relay publishes it
    when the broker is back: no request ever hangs on Redis, and no deferred work is lost.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_pending_idx",
                condition=models.Q(published_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name}({self.args}, {self.kwargs})"
