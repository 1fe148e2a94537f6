"""List filters: Find a grant, grants awarded, and the managers' lists."""

from __future__ import annotations

import datetime
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Q

from core.calendar import start_of_day
from core.forms.fields import GovukDateField
from core.postcodes import normalise_postcode
from grants.eligibility import outward_code
from grants.models import Application, Award, Instrument, Programme, Round
from organisations.models import Organisation

AMOUNT_BANDS = [
    ("under_10k", "Up to £10,000", None, Decimal("10000")),
    ("10k_50k", "£10,000 to £50,000", Decimal("10000"), Decimal("50000")),
    ("50k_250k", "£50,000 to £250,000", Decimal("50000"), Decimal("250000")),
    ("over_250k", "More than £250,000", Decimal("250000"), None),
]
RECIPIENT_TYPES = [("small_charity", "Small voluntary or community organisation"),
                   ("social_enterprise", "Social enterprise (CIC or society)"),
                   ("mutual", "Public service mutual")]


class GovukDateFilter(django_filters.Filter):
    field_class = GovukDateField


class RoundFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search",
                                  help_text="Words in the title or description.")
    status = django_filters.ChoiceFilter(
        label="Status", method="filter_status", empty_label="Open and closed",
        choices=[("open", "Open for applications"), ("closed", "Closed")])
    instrument = django_filters.ChoiceFilter(label="Type of funding",
                                             choices=Instrument.choices,
                                             empty_label="Any type")
    amount = django_filters.ChoiceFilter(
        label="Grant size", method="filter_amount", empty_label="Any size",
        choices=[(key, label) for key, label, _, _ in AMOUNT_BANDS],
        help_text="Rounds whose grants can be of this size.")
    who = django_filters.ChoiceFilter(
        label="Who can apply", method="filter_who", empty_label="Any organisation",
        choices=[c for c in Organisation.LegalForm.choices
                 if c[0] not in ("public_body", "large")])
    postcode = django_filters.CharFilter(label="Your postcode", method="filter_postcode",
                                         help_text="Rounds that fund work there.")
    closing_to = GovukDateFilter(label="Closing on or before", method="filter_closing_to",
                                 help_text="For example, 1 3 2027.")

    class Meta:
        model = Round
        fields = ["q", "status", "instrument", "amount", "who", "postcode", "closing_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value)
                               | Q(description__icontains=value)
                               | Q(programme__title__icontains=value)) if value else queryset

    def filter_status(self, queryset, name, value):
        from django.utils import timezone

        now = timezone.now()
        is_open = Q(status="published", opens_at__lte=now) & (
            Q(closes_at__gt=now) | Q(is_two_stage=True, full_closes_at__gt=now))
        return queryset.filter(is_open) if value == "open" else queryset.exclude(is_open)

    def filter_amount(self, queryset, name, value):
        bands = {key: (low, high) for key, _, low, high in AMOUNT_BANDS}
        low, high = bands.get(value, (None, None))
        if low is not None:
            queryset = queryset.filter(max_amount__gte=low)
        if high is not None:
            queryset = queryset.filter(min_amount__lte=high)
        return queryset

    def filter_who(self, queryset, name, value):
        # An empty list means any kind of organisation can apply; JSON containment is not
        # portable, so the (short) lists are matched as text.
        return queryset.filter(Q(eligible_legal_forms=[])
                               | Q(eligible_legal_forms__icontains=f'"{value}"'))

    def filter_postcode(self, queryset, name, value):
        district = outward_code(normalise_postcode(value))
        if not district:
            return queryset
        area = "".join(ch for ch in district[:2] if ch.isalpha())
        return queryset.filter(Q(eligible_postcode_areas=[])
                               | Q(eligible_postcode_areas__icontains=f'"{area}"')
                               | Q(eligible_postcode_areas__icontains=f'"{district}"'))

    def filter_closing_to(self, queryset, name, value):
        return queryset.filter(closes_at__lt=start_of_day(value + datetime.timedelta(days=1)))


class AwardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search",
                                  help_text="Words in the title, or the recipient's name.")
    programme = django_filters.ModelChoiceFilter(label="Programme",
                                                 queryset=Programme.objects.none(),
                                                 empty_label="Any programme")
    instrument = django_filters.ChoiceFilter(label="Type of funding",
                                             choices=Instrument.choices, empty_label="Any type")
    recipient_type = django_filters.ChoiceFilter(label="Recipient", method="filter_recipient",
                                                 choices=RECIPIENT_TYPES,
                                                 empty_label="Any recipient")
    year = django_filters.NumberFilter(label="Year awarded", field_name="awarded_on",
                                       lookup_expr="year", min_value=2000, max_value=2100,
                                       decimal_places=0)

    class Meta:
        model = Award
        fields = ["q", "programme", "instrument", "recipient_type", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from grants.selectors.awards import public_programmes

        self.filters["programme"].queryset = public_programmes()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(recipient__name__icontains=value)
                               ) if value else queryset

    def filter_recipient(self, queryset, name, value):
        return queryset.filter(recipient_type_q(value))


def recipient_type_q(value: str) -> Q:
    return {"small_charity": Q(recipient__is_vcse=True, recipient__size__in=["micro", "small"]),
            "social_enterprise": Q(recipient__legal_form__in=["cic", "society"]),
            "mutual": Q(recipient__legal_form="mutual")}.get(value, Q())


class ManagerAwardFilter(AwardFilter):
    status = django_filters.ChoiceFilter(label="Status", choices=Award.Status.choices,
                                         empty_label="Any status")

    class Meta:
        model = Award
        fields = ["q", "status", "programme", "instrument", "recipient_type", "year"]

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programme"].queryset = programmes


class RoundApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Reference or applicant", method="search")
    stage = django_filters.ChoiceFilter(label="Stage", choices=[("eoi", "Expression of interest"),
                                                                ("full", "Full application")],
                                        empty_label="Any stage")
    status = django_filters.ChoiceFilter(label="Status", choices=Application.Status.choices,
                                         empty_label="Any status")

    class Meta:
        model = Application
        fields = ["q", "stage", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(reference__icontains=value)
                               | Q(organisation__name__icontains=value)) if value else queryset


class GgisDatesForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("awarded_from"), data.get("awarded_to")
        if start and end and start > end:
            self.add_error("awarded_to", "Awarded on or before must be the same as or after "
                           "awarded on or after")
        return data


class GgisAwardFilter(django_filters.FilterSet):
    """The awards in a GGIS upload: awarded between two dates (either may be left out)."""

    awarded_from = GovukDateFilter(label="Awarded on or after", field_name="awarded_on",
                                   lookup_expr="gte", help_text="For example, 1 4 2026.")
    awarded_to = GovukDateFilter(label="Awarded on or before", field_name="awarded_on",
                                 lookup_expr="lte", help_text="For example, 31 3 2027.")

    class Meta:
        model = Award
        form = GgisDatesForm
        fields = ["awarded_from", "awarded_to"]
