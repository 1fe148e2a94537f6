"""Forms for preparing and submitting bids, and for recording a platform incident."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from commissioning.models import Bid, ConsortiumMember
from commissioning.services.bids import BID_FILE_POLICY
from commissioning.services.bids.checks import DECLARATIONS
from core.calendar import LONDON
from core.documents import DocumentUploadField
from core.forms.fields import GovukDateField


class PoundsInput(forms.TextInput):
    govuk_prefix = "£"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "class": "govuk-input--width-10",
                          "spellcheck": "false", **(attrs or {})})


def money_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, help_text=help_text, max_digits=14, decimal_places=2,
        min_value=Decimal("0"), widget=PoundsInput(),
        error_messages={"required": f"Enter {label[0].lower() + label[1:]}",
                        "invalid": f"{label} must be an amount of money, like 1250.50",
                        "max_decimal_places": f"{label} must not have more than 2 decimal places",
                        "min_value": f"{label} must be £0 or more"})


class BidStartForm(forms.Form):
    lot = forms.ModelChoiceField(queryset=None, required=False, widget=forms.RadioSelect,
                                 label="Which lot are you bidding for?", empty_label=None,
                                 error_messages={"required": "Select the lot you are bidding "
                                                 "for"})

    def __init__(self, *args, tender, **kwargs):
        super().__init__(*args, **kwargs)
        lots = tender.lots.all()
        if lots:
            self.fields["lot"].queryset = lots
            self.fields["lot"].required = True
        else:
            del self.fields["lot"]


class AnswerForm(forms.Form):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), required=False,
                             strip=False)


class PriceForm(forms.Form):
    total = money_field("Total price", help_text="Excluding VAT, for the whole contract term.")

    def __init__(self, *args, adding_line: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Adding a breakdown line saves what is there; the total can come later.
        self.fields["total"].required = not adding_line


class PriceLineForm(forms.Form):
    item = forms.CharField(label="What the amount is for", required=False, max_length=200)
    amount = money_field("Amount", required=False)

    def clean(self):
        cleaned = super().clean()
        item, amount = cleaned.get("item"), cleaned.get("amount")
        if item and amount is None and "amount" not in self.errors:
            self.add_error("amount", f"Enter the amount for {item}")
        if amount is not None and not item:
            self.add_error("item", "Enter what the amount is for")
        return cleaned

    def line(self) -> dict | None:
        if self.cleaned_data.get("item") and self.cleaned_data.get("amount") is not None:
            return {"item": self.cleaned_data["item"], "amount": self.cleaned_data["amount"]}
        return None


PriceLineFormSet = forms.formset_factory(PriceLineForm, extra=0, max_num=100)


class CommitmentForm(forms.Form):
    """One social value commitment block (one per measure of the tender's plan)."""

    quantity = forms.DecimalField(
        label="Quantity you commit to", required=False, max_digits=14, decimal_places=2,
        min_value=Decimal("0"), help_text="Leave empty if you make no commitment on this measure.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={"invalid": "Quantity must be a number, like 2 or 2.5"})
    delivery_plan = forms.CharField(label="How you will deliver it", required=False,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    owner_name = forms.CharField(label="Who is responsible", required=False, max_length=150)
    milestones = forms.CharField(label="Milestones", required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    method_statement = forms.CharField(label="Method statement", required=False,
                                       widget=forms.Textarea(attrs={"rows": 4}))
    is_local = forms.BooleanField(label="Delivered locally", required=False)
    is_core_deliverable = forms.BooleanField(
        label="This is part of what the contract requires anyway", required=False)
    deadweight = forms.DecimalField(
        label="Deadweight (%)", initial=Decimal("0"), min_value=Decimal("0"),
        max_value=Decimal("100"), decimal_places=2,
        help_text="How much would have happened anyway.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}))
    attribution = forms.DecimalField(
        label="Attribution (%)", initial=Decimal("100"), min_value=Decimal("0"),
        max_value=Decimal("100"), decimal_places=2,
        help_text="How much of the outcome is due to you.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}))

    def __init__(self, *args, plan_measure, **kwargs):
        self.plan_measure = plan_measure
        super().__init__(*args, prefix=f"m{plan_measure.pk}", **kwargs)

    def entry(self) -> dict | None:
        data = self.cleaned_data
        if data.get("quantity") is None:
            return None
        return {"plan_measure_id": self.plan_measure.pk, **data}


class ConsortiumSearchForm(forms.Form):
    q = forms.CharField(label="Organisation name or identifier", required=False, max_length=100,
                        help_text="For example, GB-CHC-1234567 or part of the name.")


class ConsortiumMemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, widget=forms.RadioSelect, empty_label=None, label="Organisation",
        error_messages={"required": "Select an organisation"})
    role = forms.ChoiceField(choices=ConsortiumMember.Role.choices, widget=forms.RadioSelect,
                             label="Role in the bid",
                             error_messages={"required": "Select the organisation's role"})
    responsibilities = forms.CharField(
        label="Responsibilities", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What this organisation will deliver.",
        error_messages={"required": "Enter what this organisation will deliver"})

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class BidFileForm(forms.Form):
    file = DocumentUploadField(policy=BID_FILE_POLICY, label="Upload a file",
                               help_text="PDF, Word, Excel or OpenDocument, up to 25 MB.",
                               error_messages={"required": "Select a file to upload"})


class DeclarationsForm(forms.Form):
    accurate = forms.BooleanField(
        required=False, label="I confirm that the information in this bid is accurate and "
        "complete")
    no_collusion = forms.BooleanField(
        required=False, label="I confirm that we have not colluded with other bidders or "
        "canvassed anyone involved in this procurement")

    def declarations(self) -> dict:
        return {key: bool(self.cleaned_data.get(key)) for key in DECLARATIONS}


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that a withdrawn bid is not considered unless we submit it again "
        "before the deadline",
        error_messages={"required": "Confirm that you understand what withdrawing means"})


TIME_PATTERN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class IncidentForm(forms.Form):
    new_date = GovukDateField(label="New deadline date",
                              help_text="For example, 27 3 2027")
    new_time = forms.CharField(label="New deadline time", max_length=5,
                               help_text="Use the 24-hour clock, for example 14:30.",
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
                               error_messages={"required": "Enter the new deadline time"})
    reason = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 5}),
                             help_text="This is sent to every supplier following the tender.",
                             error_messages={"required": "Describe the incident"})

    def clean_new_time(self) -> datetime.time:
        match = TIME_PATTERN.match(self.cleaned_data["new_time"])
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError("Enter a real time in the 24-hour clock, like 14:30")
        return datetime.time(int(match[1]), int(match[2]))

    def new_deadline(self) -> datetime.datetime:
        moment = datetime.datetime.combine(self.cleaned_data["new_date"],
                                           self.cleaned_data["new_time"], tzinfo=LONDON)
        return moment.astimezone(datetime.UTC)


class BidFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Bid.Status.choices, empty_label="Any status",
                                         label="Status")
    q = django_filters.CharFilter(label="Tender title or reference", method="search")

    class Meta:
        model = Bid
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(tender__title__icontains=value)
                               | Q(tender__reference__icontains=value))


def price_lines(price: dict, query) -> list[dict]:
    """The breakdown lines to show: those saved, one empty line to start, one more on request."""
    lines = list(price.get("breakdown") or [])
    if not lines or query.get("add_line"):
        lines.append({})
    return lines


def commitment_forms(data, *, plan, saved: list[dict]) -> list[CommitmentForm]:
    """One commitment block per measure of the plan, filled from the saved draft."""
    by_measure = {entry.get("plan_measure_id"): entry for entry in saved}
    return [CommitmentForm(data, plan_measure=plan_measure,
                           initial=by_measure.get(plan_measure.pk) or None)
            for plan_measure in plan.measures.select_related("measure")]


def commitment_entries(blocks: list[CommitmentForm]) -> list[dict]:
    """The commitments of the blocks that read as a commitment (a valid quantity given)."""
    return [entry for block in blocks if block.is_valid() and (entry := block.entry())]


def commitment_checks(blocks: list[CommitmentForm], preview, *, live: bool) -> dict:
    """Give each block its ``check``: its counting-rule problems, warnings and indicative value.

    The counting rules' errors are shown in the block's check, which the live check refreshes
    as the bidder types, so a fixed problem never lingers next to a field. Errors of the
    form itself (a quantity that is not a number) stand next to their field after a save;
    the live check lists them in the block too, since no field shows them yet.
    """
    by_measure: dict = {}
    for issue in preview.issues:
        by_measure.setdefault(issue.plan_measure_id, []).append(issue)
    summary = []
    for block in blocks:
        issues = by_measure.pop(block.plan_measure.pk, [])
        errors = [i for i in issues if i.severity == "error"]
        summary += [{"text": f"{block.plan_measure.measure.code}: {i.message}",
                     "href": _anchor(block, i.field)} for i in errors]
        block.check = {
            "errors": [_labelled(block, name, error) for name, field_errors in
                       (block.errors.items() if live and block.is_bound else ())
                       for error in field_errors] + [i.message for i in errors],
            "warnings": [i.message for i in issues if i.severity != "error"],
            "monetised": preview.monetised.get(block.plan_measure.pk)}
    general = [i.message for issues in by_measure.values() for i in issues]
    return {"live": live, "general": general, "summary": summary,
            "errors": sum(len(b.check["errors"]) for b in blocks),
            "warnings": sum(len(b.check["warnings"]) for b in blocks) + len(general)}


def _anchor(block: CommitmentForm, name: str) -> str:
    field = name if name in block.fields else "quantity"
    return f"#{block[field].auto_id}"


def _labelled(block: CommitmentForm, name: str, error: str) -> str:
    return f"{block.fields[name].label}: {error}" if name in block.fields else error


def problem_links(bid, problems: list) -> list[dict]:
    """The submission problems as error summary entries linking to where each is fixed."""
    from django.urls import reverse

    targets = {
        "price": lambda p: reverse("commissioning:bid_price", args=[bid.pk]),
        "social_value": lambda p: reverse("commissioning:bid_social_value", args=[bid.pk]),
        "documents": lambda p: reverse("commissioning:bid_documents", args=[bid.pk]),
        "question": lambda p: reverse("commissioning:bid_answer", args=[bid.pk, p.target]),
        "declarations": lambda p: "#id_accurate",
        "supplier_information": lambda p: reverse("commissioning:bid_supplier_information",
                                                  args=[bid.pk]),
    }
    return [{"text": problem.text, "href": targets.get(problem.section, lambda p: "")(problem)}
            for problem in problems]


def formset_errors(formset) -> list[dict]:
    """A formset's field errors as error summary entries, each linking to its field."""
    if not formset.is_bound:
        return []
    return [{"text": f"Line {index}: {error}", "href": f"#{form[name].auto_id}"}
            for index, form in enumerate(formset.forms, start=1)
            for name, errors in form.errors.items() if name in form.fields
            for error in errors]


def commitment_errors(blocks: list[CommitmentForm]) -> list[dict]:
    """Errors of every commitment block for the error summary, named by measure."""
    entries = []
    for block in blocks:
        if not block.is_bound:
            continue
        for name, errors in block.errors.items():
            anchor = f"#{block[name].auto_id}" if name in block.fields else ""
            entries += [{"text": f"{block.plan_measure.measure.code}: {error}", "href": anchor}
                        for error in errors]
    return entries


def upload_sections(slots, files, *, failed: BidFileForm | None, failed_key: str) -> list[dict]:
    """One section per document slot, plus "other documents": its files and upload form.

    The form that failed keeps its errors; the others are blank, each with its own prefix so
    that every file input on the page has a unique id.
    """
    sections = [{"key": str(slot.pk), "slot": slot, "title": slot.name} for slot in slots]
    sections.append({"key": "other", "slot": None, "title": "Other documents (optional)"})
    for section in sections:
        slot_id = section["slot"].pk if section["slot"] else None
        section["files"] = [f for f in files if f.slot_id == slot_id]
        section["form"] = (failed if failed is not None and failed_key == section["key"]
                           else BidFileForm(prefix=f"slot{section['key']}"))
        section["form"].fields["file"].label = f"Upload a file for {section['title'].lower()}"
    return sections
