"""Social value: the measures catalogue, a tender's design, bid commitments, delivery.

Nothing here knows about tenders or bids: commissioning points at these rows (a tender has a
plan, a bid's commitments are recorded at opening, a contract has a delivery ledger), so the
same machinery serves grants later.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.models import Document, TimeStampedModel
from core.money import MoneyField
from organisations.models import Organisation

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Framework(TimeStampedModel):
    """A catalogue: the national Social Value Model, or an authority's local framework."""

    authority = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="social_value_frameworks",
                                  help_text="Empty for a national framework.")
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    source_url = models.URLField(blank=True)
    licence = models.CharField(max_length=200)

    class Meta:
        ordering = ["name", "version"]
        constraints = [models.UniqueConstraint(fields=["authority", "name", "version"],
                                               name="framework_version_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Theme(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="theme_once")]

    def __str__(self) -> str:
        return self.name


class Outcome(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=300)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["theme", "code"], name="outcome_once")]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    class Unit(models.TextChoices):
        FTE_YEARS = "fte_years", "FTE-years"
        PEOPLE = "people", "People"
        HOURS = "hours", "Hours"
        GBP = "gbp", "£ spend"
        TONNES_CO2E = "tco2e", "Tonnes CO2e"
        COUNT = "count", "Number"
        WELLBY = "wellby", "WELLBYs"

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    counting_rules = models.TextField(blank=True)
    evidence_required = models.TextField(blank=True)
    double_count_group = models.CharField(
        max_length=50, blank=True,
        help_text="Measures sharing a group are mutually exclusive in one bid.")
    first_year_only = models.BooleanField(
        default=False,
        help_text="Counted in the first year only (e.g. hiring disadvantaged people).")
    local_only = models.BooleanField(default=False, help_text="Only local delivery counts.")

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["outcome", "code"], name="measure_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProxyValue(models.Model):
    """A money proxy for one unit of a measure. Versions are added, never overwritten."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="proxy_values")
    version = models.PositiveIntegerField()
    value = MoneyField()
    source = models.CharField(max_length=300)
    price_base_year = models.PositiveIntegerField()
    licence = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "-version"]
        constraints = [models.UniqueConstraint(fields=["measure", "version"],
                                               name="proxy_version_once")]


class SocialValuePlan(TimeStampedModel):
    """How a procurement designs social value in: chosen measures, weight and question."""

    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(max_digits=5, decimal_places=2, validators=PERCENT,
                                 default=Decimal("10.00"))
    question = models.TextField(blank=True)
    max_measures = models.PositiveIntegerField(default=6)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")


class PlanMeasure(models.Model):
    plan = models.ForeignKey(SocialValuePlan, on_delete=models.CASCADE, related_name="measures")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    relevance = models.TextField(help_text="Why this measure is relevant to the contract.")
    proxy_value = models.ForeignKey(ProxyValue, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text="The proxy version pinned.")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["plan", "measure"],
                                               name="plan_measure_once")]


class CommitmentSet(TimeStampedModel):
    """A supplier's commitments against a plan, recorded when the sealed bid is opened."""

    plan = models.ForeignKey(SocialValuePlan, on_delete=models.PROTECT,
                             related_name="commitment_sets")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    contract_value = MoneyField(help_text="The bid price, to flag implausible claims.")


class Commitment(models.Model):
    commitment_set = models.ForeignKey(CommitmentSet, on_delete=models.CASCADE,
                                       related_name="commitments")
    plan_measure = models.ForeignKey(PlanMeasure, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    delivery_plan = models.TextField()
    owner_name = models.CharField(max_length=150)
    milestones = models.TextField()
    method_statement = models.TextField()
    is_local = models.BooleanField(default=True)
    is_core_deliverable = models.BooleanField(default=False)
    deadweight = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"),
                                     validators=PERCENT)
    attribution = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("100"),
                                      validators=PERCENT)
    monetised_value = MoneyField(null=True, blank=True)
    formula = models.TextField(blank=True)
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]


class DeliveryLedger(TimeStampedModel):
    """Committed against delivered for one contract; proxies stay pinned as at award."""

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", "Quarterly"
        SIX_MONTHLY = "six_monthly", "Every 6 months"
        MONTHLY = "monthly", "Monthly"
        ANNUAL = "annual", "Annually"

    commitment_set = models.OneToOneField(CommitmentSet, on_delete=models.PROTECT,
                                          related_name="ledger")
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(max_length=20, choices=Frequency.choices,
                                 default=Frequency.QUARTERLY)
    tolerance = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("10"),
                                    validators=PERCENT,
                                    help_text="Shortfall, in percent, before a period is red.")


class DeliveryTarget(models.Model):
    ledger = models.ForeignKey(DeliveryLedger, on_delete=models.CASCADE, related_name="targets")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="targets")
    period_start = models.DateField()
    period_end = models.DateField(db_index=True)
    target = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["period_start", "id"]


class DeliveryReport(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    target = models.ForeignKey(DeliveryTarget, on_delete=models.CASCADE, related_name="reports")
    actual = models.DecimalField(max_digits=14, decimal_places=2)
    narrative = models.TextField(blank=True)
    evidence = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    review_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
