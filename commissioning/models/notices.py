"""Notices as data (Procurement Act 2023 UK1-UK12), direct awards and contract management.

Every notice the portal issues is a `Notice` row: its type, what it is about (a project, a
tender, an award, a contract, a contract change or a direct award), the fields it published and
its OCDS release, kept as published (never rewritten).
"""

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel
from core.money import MoneyField
from organisations.models import Organisation


class NoticeType(models.TextChoices):
    UK1 = "UK1", "UK1 Pipeline notice"
    UK2 = "UK2", "UK2 Preliminary market engagement notice"
    UK3 = "UK3", "UK3 Planned procurement notice"
    UK4 = "UK4", "UK4 Tender notice"
    UK5 = "UK5", "UK5 Transparency notice"
    UK6 = "UK6", "UK6 Contract award notice"
    UK7 = "UK7", "UK7 Contract details notice"
    UK9 = "UK9", "UK9 Contract performance notice"
    UK10 = "UK10", "UK10 Contract change notice"
    UK11 = "UK11", "UK11 Contract termination notice"
    UK12 = "UK12", "UK12 Procurement termination notice"


class DirectAward(TimeStampedModel):
    """A contract awarded without competition (s.41 with a Schedule 5 ground, or s.43)."""

    class Basis(models.TextChoices):
        SCHEDULE_5 = "s41", "Section 41: a Schedule 5 direct award justification"
        SWITCH = "s43", "Section 43: switching after an unsuccessful competition"

    class Ground(models.TextChoices):
        PROTOTYPES = "prototypes", "Prototypes and development"
        ARTISTIC = "single_artistic", "Single supplier: artistic reasons"
        TECHNICAL = "single_technical", "Single supplier: no competition for technical reasons"
        EXCLUSIVE = "single_exclusive", "Single supplier: exclusive rights"
        REPEAT = "additional", "Additional or repeat goods, services or works"
        COMMODITIES = "commodities", "Commodities"
        INSOLVENCY = "insolvency", "Advantageous terms on insolvency"
        URGENCY = "urgency", "Extreme and unavoidable urgency"
        USER_CHOICE = "user_choice", "User choice contracts"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        STANDSTILL = "standstill", "Transparency notice published"
        AWARDED = "awarded", "Awarded"
        CANCELLED = "cancelled", "Procurement terminated"

    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                  related_name="direct_awards")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    description = models.TextField()
    basis = models.CharField(max_length=10, choices=Basis.choices)
    ground = models.CharField(max_length=20, choices=Ground.choices, blank=True)
    justification = models.TextField(help_text="Why the contract is awarded directly.")
    switched_from = models.ForeignKey(
        "commissioning.Tender", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="The unsuccessful competition (section 43).")
    value_ex_vat = MoneyField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    transparency_published_at = models.DateTimeField(null=True, blank=True)
    standstill_ends_on = models.DateField(null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    ocid = models.CharField(max_length=100, blank=True, db_index=True)
    procurement = models.OneToOneField(
        "commissioning.Tender", null=True, blank=True, on_delete=models.PROTECT,
        related_name="direct_award",
        help_text="The procurement record the award and the contract hang on, made on award "
        "(a never-published tender row with the direct award's OCID, ADR 0029).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["authority", "reference"],
                                               name="direct_award_reference_unique")]

    def __str__(self) -> str:
        return self.title


class ContractChange(TimeStampedModel):
    """A modification of a live contract: its value and term deltas and the UK10 decision."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPLIED = "applied", "Made"

    contract = models.ForeignKey("commissioning.Contract", on_delete=models.PROTECT,
                                 related_name="changes")
    description = models.TextField()
    value_delta = MoneyField(help_text="Change of value in pounds, negative to reduce.")
    previous_value = MoneyField()
    previous_ends_on = models.DateField()
    new_ends_on = models.DateField()
    beyond_allowance = models.BooleanField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    applied_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]


class KpiRating(models.Model):
    """A periodic rating of one contract KPI (what a contract performance notice reports)."""

    class Rating(models.TextChoices):
        GOOD = "good", "Good"
        APPROACHING = "approaching", "Approaching target"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"

    kpi = models.ForeignKey("commissioning.ContractKpi", on_delete=models.CASCADE,
                            related_name="ratings")
    period_start = models.DateField()
    period_end = models.DateField()
    rating = models.CharField(max_length=30, choices=Rating.choices)
    comment = models.TextField(blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [models.UniqueConstraint(fields=["kpi", "period_end"],
                                               name="kpi_rating_once_per_period")]


class EngagementNoticeReason(TimeStampedModel):
    """Why a tender that followed market engagement had no UK2 (Procurement Act s.17)."""

    tender = models.OneToOneField("commissioning.Tender", on_delete=models.CASCADE,
                                  related_name="engagement_notice_reason")
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")


class Notice(models.Model):
    """One UK notice as published: what it is about, its fields and its OCDS release."""

    notice_type = models.CharField(max_length=5, choices=NoticeType.choices, db_index=True)
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="notices")
    project = models.ForeignKey("commissioning.Project", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="notices")
    tender = models.ForeignKey("commissioning.Tender", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="notices")
    award = models.ForeignKey("commissioning.Award", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="notices")
    contract = models.ForeignKey("commissioning.Contract", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="notices")
    change = models.OneToOneField(ContractChange, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="notice")
    direct_award = models.ForeignKey(DirectAward, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(max_length=300)
    fields = models.JSONField(default=dict, help_text="What the notice published, by label.")
    ocid = models.CharField(max_length=100, db_index=True)
    release_id = models.CharField(max_length=150, blank=True)
    release = models.JSONField(null=True, blank=True)
    published_at = models.DateTimeField(db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["notice_type", "-published_at"],
                                name="notice_type_published_idx")]

    def __str__(self) -> str:
        return f"{self.notice_type}: {self.title}"
