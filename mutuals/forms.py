"""Forms for mutual evidence, recognition requests and decisions, and definition versions."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from core.documents import DocumentUploadField
from core.forms.dates import GovukForm, GovukModelForm
from core.forms.fields import GovukDateField
from mutuals.models import PERCENT, DeclaredReservedContract, Definition, MutualProfile
from mutuals.services import RULES_POLICY
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
