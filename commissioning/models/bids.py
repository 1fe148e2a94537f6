"""Bids: sealed content, consortium members, files and receipts."""

from django.conf import settings
from django.db import models

from core.models import Document, TimeStampedModel
from organisations.models import Organisation


class Bid(TimeStampedModel):
    """One organisation's (or consortium's) bid for a tender or one of its lots.

    Everything the bidder writes (answers, price and its breakdown, social value commitments)
    is in `sealed_content`, encrypted with the tender's key; files are encrypted documents.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    tender = models.ForeignKey("commissioning.Tender", on_delete=models.PROTECT,
                               related_name="bids")
    lot = models.ForeignKey("commissioning.Lot", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="bids")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bids")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    sealed_content = models.BinaryField(default=bytes)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    disregarded_reason = models.TextField(
        blank=True, help_text="Why the bid is disregarded, e.g. it fails the mutual tests.")
    social_value_commitments = models.OneToOneField(
        "socialvalue.CommitmentSet", null=True, blank=True, on_delete=models.PROTECT,
        related_name="bid")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "lot", "organisation"],
                                    name="one_bid_per_lot_and_organisation"),
            models.UniqueConstraint(fields=["tender", "organisation"],
                                    condition=models.Q(lot__isnull=True),
                                    name="one_bid_per_unlotted_tender"),
        ]

    def __str__(self) -> str:
        return f"Bid #{self.pk} by {self.organisation}"


class ConsortiumMember(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Consortium member"
        SUBCONTRACTOR = "subcontractor", "Key subcontractor"

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    responsibilities = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "organisation"],
                                               name="consortium_member_once")]


class BidFile(TimeStampedModel):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="files")
    slot = models.ForeignKey("commissioning.DocumentSlot", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]


class BidReceipt(models.Model):
    """Proof of an accepted submission: its times and SHA-256 of each file and the whole.

    ``received_at`` is when the request reached the portal, the time the deadline is judged by;
    ``recorded_at`` is when the portal recorded the submission (at most a queue's wait later).
    """

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="receipts")
    number = models.CharField(max_length=40, unique=True)
    received_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    submission_sha256 = models.CharField(max_length=64)
    file_hashes = models.JSONField(default=list)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.number
