"""Awards (the grants themselves), their conditions, agreements, due diligence and repayments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import Document, TimeStampedModel
from core.money import MoneyField
from grants.models.applications import Application
from grants.models.programmes import Instrument, Programme, Round
from organisations.models import Organisation


class Award(TimeStampedModel):
    """A grant offered to (and, once the agreement is accepted, held by) an organisation.

    The running totals are kept on the row so that the database itself enforces
    paid ≤ scheduled ≤ awarded and recovered ≤ paid; services update them under a row lock.
    """

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        LIVE = "live", "Live"
        CLOSED = "closed", "Closed"
        DECLINED = "declined", "Offer declined"
        WITHDRAWN = "withdrawn", "Offer withdrawn"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="awards")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="awards")
    application = models.OneToOneField(Application, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="award")
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                  related_name="grant_awards")
    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    instrument = models.CharField(max_length=20, choices=Instrument.choices)
    from_open_call = models.BooleanField(default=True)
    direct_award_justification = models.TextField(blank=True)
    amount_requested = MoneyField(null=True, blank=True)
    amount_awarded = MoneyField()
    amount_scheduled = MoneyField(default=0)
    amount_paid = MoneyField(default=0)
    amount_recovered = MoneyField(default=0)
    amount_repaid = MoneyField(default=0)
    awarded_on = models.DateField()
    planned_start = models.DateField()
    planned_end = models.DateField()
    beneficiary_postcode = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED,
                              db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the award was first published as open data.")
    closed_on = models.DateField(null=True, blank=True)
    closure_notes = models.TextField(blank=True)
    social_value_ledger = models.OneToOneField(
        "socialvalue.DeliveryLedger", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="Where delivery of the chosen measures is recorded: the "
        "same ledger contracts use.")

    class Meta:
        ordering = ["-awarded_on", "-id"]
        indexes = [models.Index(fields=["status", "awarded_on"]),
                   models.Index(fields=["programme", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_awarded__gt=0),
                                   name="grant_award_amount_positive"),
            models.CheckConstraint(condition=Q(amount_scheduled__lte=F("amount_awarded")),
                                   name="grant_award_scheduled_le_awarded"),
            models.CheckConstraint(condition=Q(amount_paid__lte=F("amount_scheduled")),
                                   name="grant_award_paid_le_scheduled"),
            models.CheckConstraint(condition=Q(amount_recovered__lte=F("amount_paid")),
                                   name="grant_award_recovered_le_paid"),
            models.CheckConstraint(condition=Q(planned_start__lte=F("planned_end")),
                                   name="grant_award_dates_in_order"),
            models.CheckConstraint(condition=Q(from_open_call=True)
                                   | ~Q(direct_award_justification=""),
                                   name="grant_award_direct_is_justified"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def authority(self) -> Organisation:
        return self.programme.authority

    @property
    def amount_disbursed(self):
        return self.amount_paid - self.amount_recovered


class OfferCondition(TimeStampedModel):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="conditions")
    text = models.TextField()
    before_first_payment = models.BooleanField(default=True)
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]


class Agreement(TimeStampedModel):
    """The grant agreement produced from the round's terms, accepted online by the recipient."""

    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="agreement")
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    accepted_name = models.CharField(max_length=150, blank=True)
    accepted_position = models.CharField(max_length=150, blank=True)


class DueDiligenceCheck(TimeStampedModel):
    class Kind(models.TextChoices):
        REGISTRATION = "registration", "Registration (Charity Commission, Companies House)"
        ACCOUNTS = "accounts", "Latest accounts and financial standing"
        BANK = "bank", "Bank account"
        GOVERNANCE = "governance", "Governance and safeguarding policies"
        FRAUD = "fraud", "Fraud risk assessment"

    class Outcome(models.TextChoices):
        PASSED = "passed", "Passed"
        CONCERN = "concern", "Passed with concerns"
        FAILED = "failed", "Failed"

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="due_diligence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=40, default="manual",
                              help_text="Manual evidence, or the lookup adapter used.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    notes = models.TextField()
    evidence = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["-checked_at"]


class RepaymentTerms(TimeStampedModel):
    """When a repayable (last-call) grant becomes repayable, and what then happens."""

    class Trigger(models.TextChoices):
        PROFITABILITY = "profit", "The recipient makes a profit"
        REVENUE = "revenue", "Annual revenue passes a threshold"

    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="repayment")
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    revenue_threshold = MoneyField(null=True, blank=True)
    instalments = models.PositiveSmallIntegerField(default=12)
    triggered_on = models.DateField(null=True, blank=True)
    trigger_evidence = models.TextField(blank=True)
    first_repayment_due = models.DateField(null=True, blank=True)
    written_off_on = models.DateField(null=True, blank=True)
    write_off_amount = MoneyField(null=True, blank=True)
    write_off_reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=~Q(trigger="revenue") | Q(revenue_threshold__gt=0),
            name="grant_repayment_threshold_given")]


class Repayment(TimeStampedModel):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="repayments")
    amount = MoneyField()
    received_on = models.DateField()
    reference = models.CharField(max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="grant_repayment_positive")]
