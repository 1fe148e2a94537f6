"""Forms for award proposals and decisions, the award notice, contracts and KPIs, and the
filter of the contracts list."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from commissioning.models import Contract
from core.forms.fields import GovukDateField


class ProposeAwardForm(forms.Form):
    bid = forms.TypedChoiceField(label="Bid to award the contract to", coerce=int,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Choose the winning bid"})
    override_reason = forms.CharField(
        label="Why the award does not go to the top-ranked bid", required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only if you chose a bid other than the top-ranked one.")

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].choices = [
            (r.bid.pk, f"{r.bid.organisation.name}: "
             + (f"ranked {r.result.position}, {r.result.total:.2f} points"
                if r.result.position else r.result.excluded_reason))
            for r in rows]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Give the reason"})


class NoticeForm(forms.Form):
    voluntary_standstill = forms.BooleanField(
        label="Apply a voluntary standstill period of 8 working days", required=False,
        help_text="Light-touch contracts need no standstill, but you can choose one.")

    def __init__(self, *args, light_touch: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not light_touch:
            del self.fields["voluntary_standstill"]


class ContractForm(forms.Form):
    value = forms.DecimalField(label="Contract value", max_digits=14, decimal_places=2,
                               min_value=0, help_text="In pounds, excluding VAT.",
                               error_messages={"required": "Enter the contract value",
                                               "invalid": "Contract value must be an amount "
                                                          "of money, like 250000.00"})
    starts_on = GovukDateField(label="Start date")
    ends_on = GovukDateField(label="End date")
    signed_on = GovukDateField(label="Date signed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal",
                                                             "class": "govuk-input--width-10"})
        self.fields["value"].widget.govuk_prefix = "£"


class KpiForm(forms.Form):
    name = forms.CharField(label="Key performance indicator", max_length=200,
                           error_messages={"required": "Enter the key performance indicator"})
    target = forms.CharField(label="Target", max_length=200,
                             error_messages={"required": "Enter the target"})
    is_most_material = forms.BooleanField(
        label="One of the most material KPIs (published in the contract details notice)",
        required=False)


class ContractFilter(django_filters.FilterSet):
    """The contracts list: by state, or a reference, title or supplier."""

    STATES = [("active", "Running"), ("ended", "Ended"), ("terminated", "Terminated")]

    q = django_filters.CharFilter(label="Reference, title or supplier", method="search")
    state = django_filters.ChoiceFilter(label="State", empty_label="Any state", choices=STATES,
                                        method="in_state")

    class Meta:
        model = Contract
        fields = ["q", "state"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(award__tender__reference__icontains=value)
                               | Q(award__tender__title__icontains=value)
                               | Q(award__bid__organisation__name__icontains=value))

    def in_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "terminated":
            return queryset.filter(terminated_at__isnull=False)
        running = queryset.filter(terminated_at__isnull=True)
        return running.filter(ends_on__lt=today) if value == "ended" else running.filter(
            ends_on__gte=today)
