"""Award decisions, assessment summaries, standstill and contracts."""

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel
from core.money import MoneyField


class Award(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Awaiting approval"
        APPROVED = "approved", "Approved"
        STANDSTILL = "standstill", "Standstill"
        CONTRACTED = "contracted", "Contract entered"
        CANCELLED = "cancelled", "Cancelled"

    tender = models.ForeignKey("commissioning.Tender", on_delete=models.PROTECT,
                               related_name="awards")
    lot = models.ForeignKey("commissioning.Lot", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="awards")
    # Empty for the award of a direct award (ADR 0029): nobody bid; ``supplier`` names who won.
    bid = models.ForeignKey("commissioning.Bid", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="awards")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED,
                              db_index=True)
    value = MoneyField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    standstill_required = models.BooleanField(default=True)
    notice_published_at = models.DateTimeField(null=True, blank=True)
    standstill_ends_on = models.DateField(null=True, blank=True)
    assessment_summaries_sent_at = models.DateTimeField(null=True, blank=True)
    # Facts of the tender and the winning bid, copied when the award is made (none of them
    # changes afterwards), so that the reports aggregate the awards alone, without joining a
    # million bids and their tenders: the authority, the lead supplier and when the tender
    # was published.
    authority = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", db_index=False)
    supplier = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    tender_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["authority", "notice_published_at"],
                                name="award_authority_notice_idx")]

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.copy_report_facts()
        super().save(*args, **kwargs)

    def copy_report_facts(self) -> None:
        """Copy the authority, lead supplier and publication time from the tender and bid."""
        if self.authority_id is None:
            self.authority_id = self.tender.authority_id
        if self.supplier_id is None and self.bid_id is not None:
            self.supplier_id = self.bid.organisation_id
        if self.tender_published_at is None:
            self.tender_published_at = self.tender.published_at


class AssessmentSummary(models.Model):
    """What each assessed bidder is told: their scores and reasons, and the winner's."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="summaries")
    bid = models.ForeignKey("commissioning.Bid", on_delete=models.PROTECT,
                            related_name="assessment_summaries")
    content = models.JSONField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["award", "bid"], name="summary_once")]


class Contract(TimeStampedModel):
    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="contract")
    value = MoneyField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    signed_at = models.DateTimeField()
    details_published_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    termination_reason = models.TextField(blank=True)
    social_value_ledger = models.OneToOneField(
        "socialvalue.DeliveryLedger", null=True, blank=True, on_delete=models.PROTECT,
        related_name="contract")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-signed_at", "-id"]


class ContractKpi(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    target = models.CharField(max_length=200)
    is_most_material = models.BooleanField(
        default=False, help_text="One of the KPIs published in the contract details notice.")

    class Meta:
        ordering = ["id"]
