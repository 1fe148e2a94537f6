"""Forms for mutual evidence, recognition requests and decisions, and definition versions."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator

from core.documents import DocumentUploadField
from core.forms.dates import GovukForm, GovukModelForm
from core.forms.fields import GovukDateField
from mutuals.models import (
    PERCENT,
    DeclaredReservedContract,
    Definition,
    MutualProfile,
    SupportApplication,
)
from mutuals.models.support import Specialism
from mutuals.services import RULES_POLICY
from mutuals.services.support import EVIDENCE_POLICY
from organisations.models import Organisation

CPV_LINE = re.compile(r"^(\d{8}-\d)\s*[-–:]?\s*(.*)$")
NUMBER = {"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-5"}
DECIMAL = {"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-5"}


def parse_services(text: str) -> list[tuple[str, str]]:
    """'85310000-5 Adult day care' lines -> [(code, description)], with clear errors."""
    services: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = CPV_LINE.match(line)
        if match is None:
            raise ValidationError(f"Line {number} does not start with a CPV code: write the "
                                  "code like 85310000-5, then what the service is.")
        code, description = match.group(1), match.group(2).strip()[:200]
        if not description:
            raise ValidationError(f"Line {number}: say what the service is after its code.")
        if code in {c for c, _ in services}:
            raise ValidationError(f"Line {number}: {code} is listed twice.")
        services.append((code, description))
    if not services:
        raise ValidationError("Enter at least one service you deliver, with its CPV code.")
    return services


def authorities():
    return Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).order_by("name")


class MutualProfileForm(GovukModelForm):
    services_text = forms.CharField(
        label="Services you deliver", widget=forms.Textarea(attrs={"rows": 5,
                                                                   "spellcheck": "false"}),
        help_text="One a line: the CPV code, then what the service is, like "
                  "85312000-9 Day care for older people.")
    governing_rules_file = DocumentUploadField(
        policy=RULES_POLICY, required=False, label="Articles or rules (optional)",
        help_text="Your articles of association or society rules, as a PDF, Word or "
                  "OpenDocument file. Programme officers read them; they are never published.")
    spun_out_on = GovukDateField(label="Date it left the public sector", required=False)

    class Meta:
        model = MutualProfile
        fields = [
            "sector", "region", "public_summary", "delivers_public_services",
            "reservable_income_percent", "profit_use", "board_seats", "employee_board_seats",
            "employee_ownership_percent", "has_employee_council", "stakeholder_participation",
            "origin", "parent_body", "parent_body_name", "spun_out_on", "staff_count",
            "staff_ballot_support_percent", "staff_ballot_turnout_percent",
        ]
        widgets = {
            "profit_use": forms.RadioSelect, "origin": forms.RadioSelect,
            "public_summary": forms.Textarea(attrs={"rows": 4}),
            "board_seats": forms.TextInput(attrs=NUMBER),
            "employee_board_seats": forms.TextInput(attrs=NUMBER),
            "staff_count": forms.TextInput(attrs=NUMBER),
            "reservable_income_percent": forms.TextInput(attrs=DECIMAL),
            "employee_ownership_percent": forms.TextInput(attrs=DECIMAL),
            "staff_ballot_support_percent": forms.TextInput(attrs=DECIMAL),
            "staff_ballot_turnout_percent": forms.TextInput(attrs=DECIMAL),
        }
        help_texts = {
            "parent_body": "Choose it if it is on the portal; otherwise type its name below.",
            "parent_body_name": "Only if it is not in the list above.",
            "staff_ballot_support_percent": "If staff voted on the spin-out.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_body"].queryset = authorities()
        self.fields["parent_body"].required = False
        self.fields["profit_use"].choices = MutualProfile.ProfitUse.choices
        self.fields["origin"].choices = MutualProfile.Origin.choices
        for name in ("reservable_income_percent", "employee_ownership_percent",
                     "staff_ballot_support_percent", "staff_ballot_turnout_percent"):
            self.fields[name].validators.extend(PERCENT)  # shown next to the field
        if self.instance.pk and not self.is_bound:
            self.initial["services_text"] = "\n".join(
                f"{s.cpv_code} {s.description}" for s in self.instance.services.all())

    def clean_services_text(self) -> list[tuple[str, str]]:
        return parse_services(self.cleaned_data["services_text"])

    def _post_clean(self):
        # The service validates the whole profile (with the organisation's other facts).
        pass


class RecognitionRequestForm(GovukForm):
    definition_key = forms.ChoiceField(
        label="Which definition do you meet?", widget=forms.RadioSelect,
        choices=Definition.Key.choices)
    statement = forms.CharField(
        label="Anything the programme officer should know (optional)", required=False,
        max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))


class RecognitionDecisionForm(GovukForm):
    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect, choices=[
        ("recognise", "Recognise the organisation"), ("refuse", "Refuse, with reasons")])
    reasons = forms.CharField(
        label="Reasons", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed when refusing; the organisation reads them.")


class DeclaredContractForm(GovukForm):
    authority = forms.ModelChoiceField(
        label="Contracting authority", queryset=Organisation.objects.none(), required=False,
        help_text="Choose it if it is on the portal; otherwise type its name below.")
    authority_name = forms.CharField(label="Contracting authority's name", max_length=200,
                                     required=False)
    title = forms.CharField(label="Contract title", max_length=200)
    cpv_code = forms.RegexField(regex=r"^\d{8}-\d$", label="Main CPV code",
                                error_messages={"invalid": "Enter a CPV code like 85310000-5"})
    entered_on = GovukDateField(label="Date the contract was entered into")
    basis = forms.ChoiceField(label="Reserved under", widget=forms.RadioSelect,
                              choices=DeclaredReservedContract.Basis.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities()

    def clean(self):
        data = super().clean()
        if not data.get("authority") and not (data.get("authority_name") or "").strip():
            self.add_error("authority_name", "Choose the contracting authority or enter its name")
        return data


class DefinitionVersionForm(GovukForm):
    effective_from = GovukDateField(label="Takes effect on")
    rationale = forms.CharField(label="Why these thresholds", max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 6}))
    source = forms.CharField(label="Sources", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, definition: Definition, **kwargs):
        super().__init__(*args, **kwargs)
        self.threshold_names = list(definition.thresholds)
        for name, value in definition.thresholds.items():
            label = name.replace("_", " ").capitalize()
            if isinstance(value, bool):
                self.fields[f"t_{name}"] = forms.BooleanField(label=label, required=False,
                                                              initial=value)
            else:
                self.fields[f"t_{name}"] = forms.DecimalField(
                    label=label, min_value=Decimal(0), max_value=Decimal(100), max_digits=5,
                    decimal_places=2, initial=value, widget=forms.TextInput(attrs=DECIMAL))
        self.initial.setdefault("source", definition.source)
        self.order_fields([f"t_{n}" for n in self.threshold_names])

    def thresholds(self) -> dict:
        values = {}
        for name in self.threshold_names:
            value = self.cleaned_data[f"t_{name}"]
            values[name] = value if isinstance(value, bool) else float(value)
        return values


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, measure) -> str:
        return f"{measure.outcome.name}: {measure.name} ({measure.get_unit_display()})"


class SocialValueEntryForm(GovukForm):
    measure = MeasureChoiceField(label="Measure", queryset=None, empty_label="Choose a measure")
    annual_quantity = forms.DecimalField(
        label="How much each year", min_value=Decimal(0), max_digits=12, decimal_places=2,
        widget=forms.TextInput(attrs=DECIMAL), help_text="In the measure's unit.")
    description = forms.CharField(label="How your organisation delivers it", max_length=500,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


# -- support ----------------------------------------------------------------------------------

MONEY = {"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-10"}
YES_NO = [("yes", "Yes"), ("no", "No")]


class SupportStartForm(GovukForm):
    kind = forms.ChoiceField(label="Who is applying?", widget=forms.RadioSelect,
                             choices=SupportApplication.Kind.choices)
    team_name = forms.CharField(label="Your team's name", max_length=200, required=False,
                                help_text="For a team still inside a public body.")
    parent_body = forms.ModelChoiceField(label="The public body your team is part of",
                                         queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args, can_apply_as_mutual: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_body"].queryset = authorities()
        if not can_apply_as_mutual:
            self.fields["kind"].choices = [SupportApplication.Kind.choices[0]]

    def clean(self):
        data = super().clean()
        if data.get("kind") == SupportApplication.Kind.TEAM:
            if not (data.get("team_name") or "").strip():
                self.add_error("team_name", "Enter your team's name")
            if not data.get("parent_body"):
                self.add_error("parent_body", "Select the public body your team is part of")
        return data


class SupportApplicationForm(GovukModelForm):
    support_needed = forms.MultipleChoiceField(
        label="What support do you need?", choices=Specialism.choices,
        widget=forms.CheckboxSelectMultiple, required=False)
    trading_since = GovukDateField(label="When did the mutual start trading?", required=False)

    class Meta:
        model = SupportApplication
        fields = ["in_england", "definition_key", "trading_since", "on_first_contract",
                  "growth_case", "match_funding", "services_and_model", "england_share_percent",
                  "transformation_plans", "senior_sponsor", "support_needed",
                  "grant_requested", "advisory_days_requested"]
        labels = {
            "in_england": "We are based in England",
            "definition_key": "Which definition do you meet, or intend to meet?",
            "on_first_contract": "We are still delivering our first contract, not yet "
                                 "re-tendered",
            "growth_case": "How will support help you grow or diversify?",
            "match_funding": "Match funding you will put in, in cash (£)",
            "services_and_model": "The services you deliver and how",
            "england_share_percent": "Share of your services delivered in England (%)",
            "transformation_plans": "How you plan to change the services",
            "senior_sponsor": "Your senior sponsor (name and role)",
            "grant_requested": "Grant you ask for (£)",
            "advisory_days_requested": "Advisory days you ask for",
        }
        widgets = {
            "definition_key": forms.RadioSelect,
            "growth_case": forms.Textarea(attrs={"rows": 5}),
            "services_and_model": forms.Textarea(attrs={"rows": 4}),
            "transformation_plans": forms.Textarea(attrs={"rows": 4}),
            "match_funding": forms.TextInput(attrs=MONEY),
            "grant_requested": forms.TextInput(attrs=MONEY),
            "england_share_percent": forms.TextInput(attrs=DECIMAL),
            "advisory_days_requested": forms.TextInput(attrs=NUMBER),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["definition_key"].choices = Definition.Key.choices
        self.fields["england_share_percent"].validators.extend(PERCENT)
        for name in ("match_funding", "grant_requested"):
            self.fields[name].min_value = Decimal(0)
            self.fields[name].validators.append(MinValueValidator(Decimal(0)))
        if self.instance.kind == SupportApplication.Kind.TEAM:
            for name in ("trading_since", "on_first_contract", "grant_requested",
                         "match_funding"):
                del self.fields[name]

    def _post_clean(self):
        pass  # the service saves what was given; submitting checks it is complete


class SubsidyForm(GovukForm):
    provider = forms.CharField(label="Who gave it", max_length=200)
    amount = forms.DecimalField(label="Amount (£)", min_value=Decimal("0.01"), max_digits=12,
                                decimal_places=2, widget=forms.TextInput(attrs=MONEY))
    received_on = GovukDateField(label="When you received it")
    description = forms.CharField(label="What it was for", max_length=300)


class DeclareForm(GovukForm):
    has_conflict = forms.ChoiceField(
        label="Do you have a conflict of interest with this applicant?",
        widget=forms.RadioSelect, choices=YES_NO,
        help_text="For example you manage the team, advise it, or are related to its leaders.")
    details = forms.CharField(label="Describe the conflict", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ScoreForm(GovukForm):
    recommendation = forms.ChoiceField(label="Your recommendation", widget=forms.RadioSelect,
                                       choices=[("support", "Support"), ("decline", "Decline")])

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for key, label, weight in criteria:
            self.fields[f"score_{key}"] = forms.TypedChoiceField(
                label=f"{label} ({weight}%)", coerce=int, widget=forms.RadioSelect,
                choices=[(n, str(n)) for n in range(6)],
                help_text="0 no evidence, 1 poor, 2 weak, 3 adequate, 4 good, 5 excellent.")
            self.fields[f"comment_{key}"] = forms.CharField(
                label=f"Reason for your score: {label.lower()}", max_length=3000,
                widget=forms.Textarea(attrs={"rows": 3}))
        self.order_fields([*(f for key, _, _ in criteria
                             for f in (f"score_{key}", f"comment_{key}")), "recommendation"])

    def scores(self) -> dict:
        return {key: self.cleaned_data[f"score_{key}"] for key, _, _ in self.criteria}

    def comments(self) -> dict:
        return {key: self.cleaned_data[f"comment_{key}"] for key, _, _ in self.criteria}


class SupportDecisionForm(GovukForm):
    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect, choices=[
        ("approve", "Agree support"), ("decline", "Decline")])
    advisory_days = forms.IntegerField(label="Advisory days agreed", min_value=0,
                                       max_value=365, initial=0,
                                       widget=forms.TextInput(attrs=NUMBER))
    grant_amount = forms.DecimalField(label="Grant agreed (£)", min_value=Decimal(0),
                                      max_digits=12, decimal_places=2, initial=0,
                                      widget=forms.TextInput(attrs=MONEY))
    feedback = forms.CharField(label="Feedback for the applicant", max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 5}))


class AllocationForm(GovukForm):
    adviser = forms.ModelChoiceField(label="Adviser", queryset=None)
    specialism = forms.ChoiceField(label="Kind of advice", choices=Specialism.choices)
    days = forms.DecimalField(label="Days", min_value=Decimal("0.5"), max_digits=4,
                              decimal_places=1, widget=forms.TextInput(attrs=DECIMAL))

    def __init__(self, *args, advisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = advisers


class AdviceDayForm(GovukForm):
    worked_on = GovukDateField(label="Date of the advice")
    days = forms.TypedChoiceField(label="How long", coerce=Decimal, widget=forms.RadioSelect,
                                  choices=[("1", "A day"), ("0.5", "Half a day")])
    summary = forms.CharField(label="What you did", max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 4}))


class ReviewForm(GovukForm):
    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect,
                                 choices=[("accept", "Sign it off"), ("return", "Query it")])
    reason = forms.CharField(label="What is wrong or missing", required=False, max_length=3000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Needed when you query it.")


class MilestoneEvidenceForm(GovukForm):
    note = forms.CharField(label="What was done", max_length=3000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    file = DocumentUploadField(label="Evidence (optional)", required=False,
                               policy=EVIDENCE_POLICY,
                               help_text="PDF, Word, Excel or OpenDocument.")
