"""Forms for awards, agreements, due diligence, payments, monitoring and closure."""

from __future__ import annotations

from django import forms

from core.documents import DocumentUploadField
from core.forms.dates import GovukForm
from grants.forms.common import date, line, lines, money, text
from grants.models import AnnualReview, DueDiligenceCheck, Instalment, Recovery, RepaymentTerms


class AwardForm(GovukForm):
    planned_start = date("Start date")
    planned_end = date("End date")
    conditions = text("Conditions of the offer, one a line", required=False, rows=4,
                      help_text="Each must be met before the first payment.")
    trigger = forms.ChoiceField(label="Repayment trigger (repayable grants)", required=False,
                                choices=RepaymentTerms.Trigger.choices, widget=forms.RadioSelect)
    revenue_threshold = money("Revenue that triggers repayment", required=False)

    def __init__(self, *args, repayable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not repayable:
            del self.fields["trigger"], self.fields["revenue_threshold"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "The end date must be after the start date")
        cleaned["condition_list"] = lines(cleaned.get("conditions", ""))
        return cleaned

    def repayment(self) -> dict | None:
        if "trigger" not in self.fields:
            return None
        return {"trigger": self.cleaned_data.get("trigger") or "profit",
                "revenue_threshold": self.cleaned_data.get("revenue_threshold")}


class DirectAwardForm(AwardForm):
    organisation = forms.ModelChoiceField(label="Recipient", queryset=None,
                                          empty_label="Choose an organisation")
    title = line("Title of the grant")
    description = text("What the grant is for")
    amount = money("Amount")
    justification = text("Why this grant is not competed")

    field_order = ["organisation", "title", "description", "amount", "justification"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class AcceptForm(GovukForm):
    name = line("Your full name", max_length=150)
    position = line("Your position in the organisation", max_length=150)
    confirm = forms.BooleanField(
        label="I am authorised to accept this agreement for my organisation, and I accept it",
        error_messages={"required": "Confirm that you accept the agreement"})


class DueDiligenceForm(GovukForm):
    kind = forms.ChoiceField(label="What was checked", choices=DueDiligenceCheck.Kind.choices,
                             widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label="Outcome", choices=DueDiligenceCheck.Outcome.choices,
                                widget=forms.RadioSelect)
    notes = text("What you checked and found")
    evidence = DocumentUploadField(label="Evidence (optional)", required=False)


class ConditionForm(GovukForm):
    evidence = text("How the condition was met", rows=3)


class InstalmentForm(GovukForm):
    amount = money("Amount")
    due_on = date("Due date")
    year = forms.IntegerField(label="Year of the grant", min_value=1, initial=1)
    milestone = line("Milestone or claim it pays for", max_length=300)
    timing = forms.ChoiceField(label="Timing", choices=Instalment.Timing.choices,
                               widget=forms.RadioSelect, initial="arrears")
    advance_need = text("Why it must be paid in advance", required=False, rows=3,
                        help_text="Needed for an advance payment (Managing Public Money).")


class ReleaseForm(GovukForm):
    amount = money("Amount to pay", help_text="At most the instalment's amount.")
    claim_notes = text("The claim or milestone evidence")
    claim_evidence = DocumentUploadField(label="Claim document (optional)", required=False)


class RecoveryForm(GovukForm):
    kind = forms.ChoiceField(label="Kind of recovery", choices=Recovery.Kind.choices,
                             widget=forms.RadioSelect)
    amount = money("Amount recovered")
    reason = text("Reason", rows=3)
    received_on = date("Date received")


class TriggerForm(GovukForm):
    triggered_on = date("Date the trigger was met")
    evidence = text("Evidence", rows=3, help_text="For example, the accounts showing a profit.")
    first_repayment_due = date("First repayment due")


class RepaymentForm(GovukForm):
    amount = money("Amount repaid")
    received_on = date("Date received")
    reference = line("Payment reference", max_length=60)


class ReportForm(GovukForm):
    progress = text("Progress in this period", rows=6)
    spend_to_date = money("Total spent so far")

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = list(measures)
        for item in self.measures:
            unit = item.measure.get_unit_display()
            self.fields[f"measure_{item.pk}"] = forms.DecimalField(
                label=f"{item.measure.name}: result so far",
                help_text=f"Target {item.target} ({unit}).", min_value=0)

    def results(self) -> dict:
        return {m.pk: self.cleaned_data[f"measure_{m.pk}"] for m in self.measures}


class ReviewForm(GovukForm):
    accept = forms.TypedChoiceField(label="Your decision", widget=forms.RadioSelect,
                                    choices=[("yes", "Accept the report"),
                                             ("no", "Return it for changes")],
                                    coerce=lambda v: v == "yes")
    comment = text("Comments for the recipient", required=False, rows=3)


class VariationForm(GovukForm):
    reason = text("Reason for the variation", rows=3)
    amount_awarded = money("New amount awarded", required=False)
    planned_end = date("New end date", required=False)

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items()
                if k in ("amount_awarded", "planned_end") and v not in (None, "")}


class DecideForm(GovukForm):
    approve = forms.TypedChoiceField(label="Decision", widget=forms.RadioSelect,
                                     choices=[("yes", "Approve"), ("no", "Reject")],
                                     coerce=lambda v: v == "yes")


class AnnualReviewForm(GovukForm):
    spend_planned = money("Spend planned for the year")
    spend_actual = money("Actual spend in the year")
    delivery_summary = text("Delivery against the plan")
    decision = forms.ChoiceField(label="Decision", choices=AnnualReview.Decision.choices,
                                 widget=forms.RadioSelect)


class CloseForm(GovukForm):
    notes = text("Closure notes", rows=3)
