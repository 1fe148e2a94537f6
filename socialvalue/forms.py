"""Forms for plans, the catalogue import, delivery reports, reviews and report filters."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from core.documents import DocumentPolicy, DocumentUploadField
from socialvalue.reporting import DIMENSIONS

CSV_POLICY = DocumentPolicy(kinds=frozenset({"csv"}), max_bytes=2 * 1024 * 1024)


class PlanSettingsForm(forms.Form):
    weight = forms.DecimalField(
        label="Social value weight (%)", min_value=Decimal("0"), max_value=Decimal("100"),
        max_digits=5, decimal_places=2,
        error_messages={"required": "Enter the social value weight",
                        "invalid": "Weight must be a number, like 10 or 15"},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false",
                                      "class": "govuk-input--width-4"}))
    question = forms.CharField(
        label="Social value question", widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the social value question bidders will answer"},
        help_text="Start from the Social Value Model's question below and tailor it to this "
        "contract. Bidders answer it with a method "
        "statement for each measure you chose.")

    def __init__(self, *args, min_weight: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weight"].help_text = (
            f"The share of the total score. At least {min_weight.normalize():f}%, your "
            "authority's minimum. This is an evaluation weight, not a share of the price.")


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, measure) -> str:
        return f"{measure.outcome.name}: {measure.name} ({measure.get_unit_display()})"


class PlanMeasureForm(forms.Form):
    measure = MeasureChoiceField(
        queryset=None, label="Measure", widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": "Choose a measure",
                        "invalid_choice": "Choose a measure from the list"})
    relevance = forms.CharField(
        label="Why is this measure relevant to the contract?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Explain why this measure is relevant to the subject of "
                                    "the contract"},
        help_text="Procurement Policy Note 002 asks you to choose measures that are relevant and "
        "proportionate to what you are buying.")

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


class RelevanceForm(forms.Form):
    relevance = PlanMeasureForm.base_fields["relevance"]


class CatalogueImportForm(forms.Form):
    file = DocumentUploadField(
        policy=CSV_POLICY, label="Catalogue file",
        error_messages={"required": "Select a CSV file"},
        help_text="A CSV file, saved as UTF-8, up to 2 MB, with the columns listed below.")


class DeliveryReportForm(forms.Form):
    actual = forms.DecimalField(
        label="Amount delivered in this period", min_value=Decimal("0"), max_digits=14,
        decimal_places=2,
        error_messages={"required": "Enter the amount delivered, or 0",
                        "invalid": "Amount delivered must be a number, like 2.5",
                        "min_value": "Amount delivered must be 0 or more"},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false",
                                      "class": "govuk-input--width-10"}))
    narrative = forms.CharField(
        label="What did you deliver?", widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe what you delivered"},
        help_text="Say who benefited and how you counted it.")
    evidence = DocumentUploadField(
        label="Evidence (optional)", required=False,
        help_text="For example a payroll extract, timesheets or invoices, as PDF, Word, Excel, "
        "CSV or an image. Reports without evidence are usually rejected.")

    def __init__(self, *args, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actual"].label = f"Amount delivered in this period ({unit})"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you accept this report?", widget=forms.RadioSelect,
        choices=[("accept", "Yes, accept it: the evidence supports what was reported"),
                 ("reject", "No, reject it")],
        error_messages={"required": "Choose whether you accept the report"})
    reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you reject the report. The supplier will see it.")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", "Enter the reason for rejecting the report")
        return data


class ReportFilterForm(forms.Form):
    dimension = forms.ChoiceField(label="Group by", choices=list(DIMENSIONS.items()),
                                  required=False)
    authority = forms.ModelChoiceField(queryset=None, required=False, label="Authority",
                                       empty_label="All your authorities")
    year = forms.TypedChoiceField(label="Year", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, authorities, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        self.fields["year"].choices = [("", "All years")] + [(y, str(y)) for y in years]

    def value(self, name, default=None):
        if self.is_valid():
            return self.cleaned_data.get(name) or default
        return default
