"""Forms for the commissioner's tender screens. Business rules live in the services; these
forms only parse input and say clearly what is missing or malformed."""

from __future__ import annotations

from django import forms

from commissioning.forms.dates import (
    GovukForm,
    GovukModelForm,
    add_datetime_fields,
    combined_datetime,
)
from commissioning.models import DocumentSlot, Lot, Tender, TenderQuestion
from commissioning.services.tender_content import TENDER_DOCUMENT_POLICY, normalise_cpv_codes
from commissioning.timeline import SHORT_PERIOD_BASES
from core.documents import DocumentUploadField
from core.forms.fields import GovukDateField


def _money(widget: forms.Widget) -> forms.Widget:
    widget.govuk_prefix = "£"
    widget.attrs.update({"class": "govuk-input--width-10", "inputmode": "decimal"})
    return widget


class TenderForm(GovukModelForm):
    contract_starts_on = GovukDateField(label="Expected contract start date", required=False,
                                        help_text="For example, 1 4 2027.")
    contract_ends_on = GovukDateField(label="Expected contract end date", required=False)

    class Meta:
        model = Tender
        fields = [
            "title", "reference", "summary", "description", "procedure", "contract_type",
            "is_reserved_for_mutuals", "max_term_months",
            "estimated_value_ex_vat", "estimated_value_inc_vat", "max_lots_per_supplier",
            "lot_limit_rule", "suitable_for_sme", "suitable_for_vcse", "delivery_region",
            "delivery_location", "contract_starts_on", "contract_ends_on", "contact_name",
            "contact_email",
        ]
        labels = {
            "title": "Title", "reference": "Your reference",
            "summary": "Summary in plain language", "description": "Full description",
            "procedure": "Procedure", "contract_type": "Type of contract",
            "is_reserved_for_mutuals": "Reserve this contract for public service mutuals "
                                       "(section 33)",
            "max_term_months": "Maximum contract term, in months",
            "estimated_value_ex_vat": "Estimated value excluding VAT",
            "estimated_value_inc_vat": "Estimated value including VAT",
            "max_lots_per_supplier": "Maximum number of lots one supplier can win",
            "lot_limit_rule": "Rule used when a supplier would win more lots than the maximum",
            "suitable_for_sme": "Particularly suitable for small and medium-sized enterprises",
            "suitable_for_vcse": "Particularly suitable for voluntary, community and social "
                                 "enterprises",
            "delivery_region": "Where the contract is delivered",
            "delivery_location": "Place of delivery",
            "contact_name": "Contact for suppliers: name or team",
            "contact_email": "Contact for suppliers: email address",
        }
        help_texts = {
            "reference": "Unique within your organisation, for example ASC-2027-014.",
            "summary": "What you are buying and why, in words anyone can understand.",
            "is_reserved_for_mutuals": "Only for light-touch services under the competitive "
                                       "flexible procedure, with a maximum term of 5 years. "
                                       "Whether the contract is light touch follows from its "
                                       "main CPV code.",
            "estimated_value_inc_vat": "Used to decide whether the contract is above the "
                                       "threshold when you publish.",
            "max_lots_per_supplier": "Leave empty if a supplier can win every lot.",
            "lot_limit_rule": "An objective rule, for example: lots are awarded in order of "
                              "value, highest first.",
            "delivery_location": "For example, the borough of Riverside, or online.",
            "contact_email": "Shown on the tender page. Questions about the tender itself go "
                             "through the portal's questions and answers.",
        }
        widgets = {
            "procedure": forms.RadioSelect, "contract_type": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "lot_limit_rule": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A direct award is started from its own page, never as a tender (ADR 0029).
        self.fields["procedure"].choices = [
            choice for choice in self.fields["procedure"].choices
            if choice[0] != Tender.Procedure.DIRECT]
        for name in ("estimated_value_ex_vat", "estimated_value_inc_vat"):
            _money(self.fields[name].widget)
        self.fields["reference"].widget.attrs["class"] = "govuk-input--width-20"
        for name in ("max_term_months", "max_lots_per_supplier"):
            self.fields[name].widget.attrs["class"] = "govuk-input--width-4"

    def _post_clean(self):
        # Model validation (uniqueness, s.33 ...) is the service's job, with clearer messages.
        pass

    def tender_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TimelineForm(GovukForm):
    short_period_basis = forms.ChoiceField(
        label="Reason for a tendering period shorter than 25 days", required=False,
        choices=[("", "No shorter period"), *SHORT_PERIOD_BASES], widget=forms.RadioSelect,
        help_text="Above threshold, the deadline must normally be at least 25 days after "
                  "publication. Choose a reason only if one applies.")
    short_period_details = forms.CharField(
        label="Details of the reason", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the date and reference of the planned procurement notice.")

    def __init__(self, *args, tender: Tender, **kwargs):
        super().__init__(*args, **kwargs)
        add_datetime_fields(self, "questions_deadline", "Deadline for clarification questions",
                            initial=tender.questions_deadline)
        add_datetime_fields(self, "deadline", "Deadline for bids", initial=tender.deadline,
                            help_text="Bids received at or after this moment are refused.")
        self.order_fields(["questions_deadline_date", "questions_deadline_time",
                           "deadline_date", "deadline_time"])
        basis, _, details = tender.short_period_reason.partition(": ")
        labels = dict(SHORT_PERIOD_BASES)
        if tender.short_period_reason:
            key = next((k for k, v in labels.items() if v == basis), "")
            self.fields["short_period_basis"].initial = key
            self.fields["short_period_details"].initial = details if key else \
                tender.short_period_reason

    def clean(self):
        data = super().clean()
        data["questions_deadline"] = combined_datetime(self, "questions_deadline")
        data["deadline"] = combined_datetime(self, "deadline")
        basis = data.get("short_period_basis")
        details = (data.get("short_period_details") or "").strip()
        if details and not basis:
            self.add_error("short_period_basis", "Choose the reason for the shorter period.")
        data["short_period_reason"] = (f"{dict(SHORT_PERIOD_BASES)[basis]}: {details}".strip(": ")
                                       if basis else "")
        return data


class LotForm(GovukModelForm):
    class Meta:
        model = Lot
        fields = ["title", "description", "estimated_value_ex_vat"]
        labels = {"title": "Lot title", "description": "What this lot covers",
                  "estimated_value_ex_vat": "Estimated value excluding VAT"}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _money(self.fields["estimated_value_ex_vat"].widget)

    def _post_clean(self):
        pass


class CpvForm(GovukForm):
    codes = forms.CharField(
        label="CPV codes", widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="One a line, like 85310000-5. Find codes in the Common Procurement "
                  "Vocabulary.")
    main = forms.CharField(label="Main CPV code", help_text="One of the codes above.")

    def clean_codes(self) -> list[str]:
        return normalise_cpv_codes(self.cleaned_data["codes"])

    def clean_main(self) -> str:
        return self.cleaned_data["main"].strip()


class TenderDocumentForm(GovukForm):
    title = forms.CharField(label="Document title", max_length=200,
                            help_text="For example, Service specification.")
    file = DocumentUploadField(policy=TENDER_DOCUMENT_POLICY, label="File",
                               help_text="PDF, Word, Excel or OpenDocument text.")

    def __init__(self, *args, tender: Tender, **kwargs):
        super().__init__(*args, **kwargs)
        self.published = tender.status != Tender.Status.DRAFT
        if self.published:
            add_late_change_fields(self)

    def clean(self):
        data = super().clean()
        if self.published:
            data["new_deadline"] = combined_datetime(self, "new_deadline")
        return data


def add_late_change_fields(form: forms.Form) -> None:
    add_datetime_fields(form, "new_deadline", "New deadline for bids", required=False,
                        help_text="Needed if the deadline is less than 6 days away: the new "
                                  "deadline must be at least 6 days from now.")
    form.fields["reason"] = forms.CharField(
        label="Why the documents changed", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Suppliers are told about the change and this reason.")


class WithdrawDocumentForm(GovukForm):
    def __init__(self, *args, tender: Tender, **kwargs):
        super().__init__(*args, **kwargs)
        self.published = tender.status != Tender.Status.DRAFT
        if self.published:
            add_late_change_fields(self)

    def clean(self):
        data = super().clean()
        if self.published:
            data["new_deadline"] = combined_datetime(self, "new_deadline")
        return data


class TenderQuestionForm(GovukModelForm):
    class Meta:
        model = TenderQuestion
        fields = ["text", "guidance", "word_limit"]
        labels = {"text": "Question", "guidance": "Guidance for bidders",
                  "word_limit": "Word limit"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3}),
                   "guidance": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["word_limit"].widget.attrs["class"] = "govuk-input--width-5"

    def _post_clean(self):
        pass


class DocumentSlotForm(GovukModelForm):
    class Meta:
        model = DocumentSlot
        fields = ["name", "guidance", "required"]
        labels = {"name": "Name of the document bidders upload",
                  "guidance": "Guidance for bidders",
                  "required": "Every bid must include this document"}
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class ConflictsAssessmentForm(GovukForm):
    summary = forms.CharField(
        label="Conflicts identified", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Actual, potential and perceived conflicts of anyone acting for your "
                  "organisation, or say that none were found and how you checked.")
    mitigations = forms.CharField(
        label="Steps taken to avoid or mitigate them", required=False,
        widget=forms.Textarea(attrs={"rows": 4}))


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label: str = "Reason", help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text
        self.fields["reason"].error_messages["required"] = f"Enter the {label.lower()}"


class ExtendDeadlineForm(GovukForm):
    reason = forms.CharField(label="Reason for the new deadline",
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Every interested supplier is told.")

    def __init__(self, *args, tender: Tender, **kwargs):
        super().__init__(*args, **kwargs)
        add_datetime_fields(self, "new_deadline", "New deadline for bids", initial=tender.deadline)
        self.order_fields(["new_deadline_date", "new_deadline_time", "reason"])

    def clean(self):
        data = super().clean()
        data["new_deadline"] = combined_datetime(self, "new_deadline")
        return data
