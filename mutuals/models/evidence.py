"""Public service mutuals: evidence on the organisation profile, definitions, recognition.

The evidence an organisation records (`MutualProfile`) is private to it and to programme
officers. A `Definition` is a versioned rule set with its thresholds and their rationale; a
`Recognition` is one decision under one definition version, with the facts it was made on, so a
new version never rewrites an earlier decision. Only current recognitions are public.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.models import Document, TimeStampedModel
from organisations.models import Organisation

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Sector(models.TextChoices):
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    CHILDREN = "children", "Children's services"
    COMMUNITY_HEALTH = "community_health", "Community health"
    EDUCATION = "education", "Education and training"
    EMPLOYMENT = "employment", "Employment and skills"
    HOUSING = "housing", "Housing and homelessness"
    LEISURE = "leisure", "Leisure, culture and libraries"
    YOUTH = "youth", "Youth services"
    OTHER = "other", "Other public services"


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class MutualProfile(TimeStampedModel):
    """What an organisation records to show it is a public service mutual."""

    class ProfitUse(models.TextChoices):
        NOT_FOR_PROFIT = "not_for_profit", "Not for profit: every surplus is reinvested"
        MEMBERS_ONLY = "members_only", "Profits are distributed only to members"
        PARTICIPATORY = "participatory", "Profits are distributed on participatory considerations"
        INVESTORS = "investors", "Profits may be distributed to outside investors"

    class Origin(models.TextChoices):
        SPUN_OUT = "spun_out", "Spun out of a public body"
        COMMUNITY_LED = "community_led", "Community-led (never part of a public body)"

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE,
                                        related_name="mutual_profile")
    sector = models.CharField(max_length=30, choices=Sector.choices)
    region = models.CharField(max_length=30, choices=Region.choices)
    public_summary = models.TextField(
        "What the organisation does", max_length=1000,
        help_text="Shown on the public register if the organisation is recognised.")
    delivers_public_services = models.BooleanField(
        "It operates for the purpose of delivering public services", default=False)
    reservable_income_percent = models.DecimalField(
        "Share of income from reservable light-touch services (%)", max_digits=5,
        decimal_places=2, validators=PERCENT, default=0,
        help_text="Health, social, education, cultural and similar services that a contract "
                  "can be reserved for.")
    profit_use = models.CharField("How profits are used", max_length=20,
                                  choices=ProfitUse.choices)
    board_seats = models.PositiveSmallIntegerField("Board seats in all")
    employee_board_seats = models.PositiveSmallIntegerField("Board seats held by employees")
    employee_ownership_percent = models.DecimalField(
        "Share owned by employees (%)", max_digits=5, decimal_places=2, validators=PERCENT,
        default=0, help_text="Directly or through an employee benefit trust.")
    has_employee_council = models.BooleanField("It has an employee council", default=False)
    stakeholder_participation = models.BooleanField(
        "Service users or other stakeholders take an active part in running it", default=False)
    governing_rules = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="Articles or rules")
    origin = models.CharField(max_length=20, choices=Origin.choices)
    parent_body = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"kind": Organisation.Kind.AUTHORITY},
        help_text="The authority or NHS body it spun out of, if it is on the portal.")
    parent_body_name = models.CharField(
        "Public body it spun out of", max_length=200, blank=True)
    spun_out_on = models.DateField("Date it left the public sector", null=True, blank=True)
    staff_count = models.PositiveIntegerField("Number of staff")
    staff_ballot_support_percent = models.DecimalField(
        "Staff who voted for the spin-out (%)", max_digits=5, decimal_places=2,
        validators=PERCENT, null=True, blank=True)
    staff_ballot_turnout_percent = models.DecimalField(
        "Turnout in the staff ballot (%)", max_digits=5, decimal_places=2,
        validators=PERCENT, null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(employee_board_seats__lte=models.F("board_seats")),
                                   name="mutual_employee_seats_within_board"),
        ]

    def __str__(self) -> str:
        return f"Mutual evidence of {self.organisation}"

    @property
    def employee_board_percent(self):
        from decimal import Decimal

        if not self.board_seats:
            return Decimal(0)
        return (Decimal(self.employee_board_seats) * 100 / Decimal(self.board_seats)).quantize(
            Decimal("0.01"))

    @property
    def spun_out_of(self) -> str:
        return self.parent_body.name if self.parent_body_id else self.parent_body_name


class MutualService(models.Model):
    """One service the organisation delivers, with its CPV code."""

    profile = models.ForeignKey(MutualProfile, on_delete=models.CASCADE, related_name="services")
    cpv_code = models.CharField("CPV code", max_length=10)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["cpv_code", "id"]
        constraints = [models.UniqueConstraint(fields=["profile", "cpv_code"],
                                               name="mutual_service_unique_cpv")]

    def __str__(self) -> str:
        return f"{self.cpv_code} {self.description}"


class DeclaredReservedContract(TimeStampedModel):
    """A contract reserved for mutuals that the organisation entered outside the portal.

    The comparable-contract rule (s.33(5), reg 77) counts these as well as the portal's own
    award history.
    """

    class Basis(models.TextChoices):
        S33 = "s33", "Procurement Act 2023 section 33"
        REG77 = "reg77", "Public Contracts Regulations 2015 regulation 77"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="declared_reserved_contracts")
    authority = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"kind": Organisation.Kind.AUTHORITY},
        help_text="The contracting authority, if it is on the portal.")
    authority_name = models.CharField("Contracting authority", max_length=200)
    cpv_code = models.CharField("Main CPV code", max_length=10)
    title = models.CharField(max_length=200)
    entered_on = models.DateField("Date the contract was entered into")
    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.S33)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-entered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.authority_name}, {self.entered_on:%Y})"


class Definition(models.Model):
    """One version of a definition of a public service mutual, with its thresholds.

    Rows are never edited once created (a change is a new version), so every decision keeps
    the rules it was made under.
    """

    class Key(models.TextChoices):
        PROGRAMME = "programme", "Public service mutual (government programme definition)"
        S33 = "s33", "Public service mutual (Procurement Act 2023 section 33)"
        REG77 = "reg77", "Qualifying organisation (Public Contracts Regulations 2015 reg 77)"

    key = models.CharField(max_length=20, choices=Key.choices)
    version = models.PositiveSmallIntegerField()
    effective_from = models.DateField()
    thresholds = models.JSONField(default=dict)
    rationale = models.TextField()
    source = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"],
                                               name="mutual_definition_unique_version")]

    def __str__(self) -> str:
        return f"{self.get_key_display()}, version {self.version}"

    @property
    def short_label(self) -> str:
        return {"programme": "Programme definition", "s33": "Section 33",
                "reg77": "Regulation 77"}[self.key]


class Recognition(TimeStampedModel):
    """A request to be recognised under a definition, and the decision on it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting review"
        RECOGNISED = "recognised", "Recognised"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="mutual_recognitions")
    definition_key = models.CharField(max_length=20, choices=Definition.Key.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED,
                              db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField()
    statement = models.TextField("Why the organisation meets the definition", blank=True)
    # The decision: under which exact version, on which facts, with which limb results.
    definition = models.ForeignKey(Definition, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="recognitions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    limb_results = models.JSONField(default=list, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "definition_key"],
                                    condition=Q(status="requested"),
                                    name="mutual_recognition_one_open_request"),
            models.CheckConstraint(
                condition=~Q(status="recognised") | Q(valid_from__isnull=False,
                                                     valid_until__isnull=False,
                                                     definition__isnull=False),
                name="mutual_recognition_dates_when_recognised"),
        ]
        indexes = [models.Index(fields=["definition_key", "status", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_definition_key_display()} ({self.status})"

    def is_current_on(self, day: datetime.date) -> bool:
        return (self.status == self.Status.RECOGNISED and self.valid_from is not None
                and self.valid_from <= day <= self.valid_until)


class SocialValueProfileEntry(models.Model):
    """Social value the organisation's model delivers anyway, on the social value catalogue.

    It is shown to evaluators next to a bid but is never a contract commitment: it is not
    scored as additional social value and never enters a delivery ledger.
    """

    profile = models.ForeignKey(MutualProfile, on_delete=models.CASCADE,
                                related_name="social_value_entries")
    measure = models.ForeignKey("socialvalue.Measure", on_delete=models.PROTECT,
                                related_name="+")
    annual_quantity = models.DecimalField("Each year", max_digits=12, decimal_places=2,
                                          validators=[MinValueValidator(0)])
    description = models.CharField("How it is delivered", max_length=500)

    class Meta:
        ordering = ["measure__code", "id"]
        constraints = [models.UniqueConstraint(fields=["profile", "measure"],
                                               name="mutual_sv_profile_unique_measure")]

    def __str__(self) -> str:
        return f"{self.measure}: {self.annual_quantity} a year"
