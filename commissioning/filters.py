"""List filters: public tenders, an authority's own tenders, and the public pipeline."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from commissioning import thresholds
from commissioning.models import DirectAward, Notice, NoticeType, Project, Tender, TenderCpv
from commissioning.selectors.pipeline import authorities_with_public_projects
from commissioning.selectors.tenders import public_buyer_choices
from core.calendar import start_of_day
from core.forms.fields import GovukDateField

LIGHT_TOUCH = Decimal("663540")


def value_bands(on: datetime.date | None = None) -> list[tuple[str, str, Decimal | None,
                                                              Decimal | None]]:
    """(key, label, from, below) bands of value including VAT, around today's thresholds."""
    goods = thresholds.threshold_for(contract_type="services", is_light_touch=False, on=on)
    works = thresholds.threshold_for(contract_type="works", is_light_touch=False, on=on)
    notifiable = thresholds.notifiable_value()
    return [
        ("under_notifiable", f"Under £{notifiable:,.0f}", None, notifiable),
        ("to_threshold", f"£{notifiable:,.0f} to £{goods - 1:,.0f}", notifiable, goods),
        ("to_light_touch", f"£{goods:,.0f} to £{LIGHT_TOUCH - 1:,.0f}", goods, LIGHT_TOUCH),
        ("to_works", f"£{LIGHT_TOUCH:,.0f} to £{works - 1:,.0f}", LIGHT_TOUCH, works),
        ("over_works", f"£{works:,.0f} or more", works, None),
    ]


def text_search(queryset, value: str):
    """Full-text search on PostgreSQL; a plain case-insensitive match elsewhere."""
    value = value.strip()
    if not value:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVectorField
        from django.db.models.expressions import RawSQL

        # The stored, GIN-indexed vector (migration 0004): title weighted above the text.
        vector = RawSQL('"commissioning_tender"."search_vector"', [],
                        output_field=SearchVectorField())
        query = SearchQuery(value, search_type="websearch", config="english")
        return queryset.annotate(search=vector).filter(
            Q(search=query) | Q(reference__iexact=value))
    return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value)
                           | Q(description__icontains=value) | Q(reference__iexact=value))


SORTS = {
    "newest": ("Recently published", (F("published_at").desc(nulls_last=True), "-id")),
    "closing": ("Closing soonest", (F("deadline").asc(nulls_last=True), "id")),
    "value_high": ("Highest value", (F("estimated_value_inc_vat").desc(), "-id")),
    "value_low": ("Lowest value", (F("estimated_value_inc_vat").asc(), "id")),
}
SORTS_CHOICES = [(key, label) for key, (label, _) in SORTS.items()]


class GovukDateFilter(django_filters.Filter):
    field_class = GovukDateField


class PublicTenderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search",
                                  help_text="Words in the title or description.")
    status = django_filters.ChoiceFilter(
        label="Status", method="filter_status", empty_label="Open and closed",
        choices=[("open", "Open for bids"), ("closed", "Closed")])
    authority = django_filters.ChoiceFilter(label="Buyer", method="filter_authority",
                                            empty_label="Any buyer", choices=[])
    procedure = django_filters.ChoiceFilter(label="Procedure", choices=[
        choice for choice in Tender.Procedure.choices if choice[0] != Tender.Procedure.DIRECT],
                                            empty_label="Any procedure")
    value = django_filters.ChoiceFilter(label="Value including VAT", method="filter_value",
                                        empty_label="Any value", choices=[])
    cpv = django_filters.CharFilter(label="CPV code", method="filter_cpv",
                                    help_text="A code or its first digits, like 853.")
    suitable = django_filters.MultipleChoiceFilter(
        label="Suitable for", method="filter_suitable", widget=forms.CheckboxSelectMultiple,
        choices=[("sme", "Small and medium-sized enterprises"),
                 ("vcse", "Voluntary, community and social enterprises"),
                 ("mutuals", "Reserved for public service mutuals")])
    region = django_filters.ChoiceFilter(
        label="Where the contract is delivered", method="filter_region",
        empty_label="Anywhere", choices=Tender.Region.choices)
    closing_from = GovukDateFilter(label="Closing on or after", method="filter_closing_from",
                                   help_text="For example, 1 3 2027.")
    closing_to = GovukDateFilter(label="Closing on or before", method="filter_closing_to")
    sort = django_filters.ChoiceFilter(label="Sort by", method="sort_by", empty_label=None,
                                       null_label=None, choices=SORTS_CHOICES)

    class Meta:
        model = Tender
        fields = ["q", "status", "authority", "procedure", "value", "cpv", "suitable",
                  "region", "closing_from", "closing_to", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Kept until the list changes, like the list itself (commissioning.listing).
        self.filters["authority"].extra["choices"] = public_buyer_choices()
        self.bands = {key: (low, high) for key, _, low, high in value_bands()}
        self.filters["value"].extra["choices"] = [(k, label) for k, label, _, _ in value_bands()]

    def search(self, queryset, name, value):
        return text_search(queryset, value)

    def filter_authority(self, queryset, name, value):
        return queryset.filter(authority_id=int(value))

    def filter_status(self, queryset, name, value):
        is_open = Q(status=Tender.Status.PUBLISHED, deadline__gt=timezone.now())
        return queryset.filter(is_open) if value == "open" else queryset.exclude(is_open)

    def filter_value(self, queryset, name, value):
        low, high = self.bands.get(value, (None, None))
        if low is not None:
            queryset = queryset.filter(estimated_value_inc_vat__gte=low)
        if high is not None:
            queryset = queryset.filter(estimated_value_inc_vat__lt=high)
        return queryset

    def filter_cpv(self, queryset, name, value):
        digits = re.sub(r"[^0-9]", "", value.split("-")[0])[:8]
        if not digits:
            return queryset
        codes = TenderCpv.objects.filter(tender=OuterRef("pk"), code__startswith=digits)
        return queryset.filter(Exists(codes))

    def filter_suitable(self, queryset, name, values):
        fields = {"sme": "suitable_for_sme", "vcse": "suitable_for_vcse",
                  "mutuals": "is_reserved_for_mutuals"}
        return queryset.filter(**{fields[v]: True for v in values if v in fields})

    def filter_region(self, queryset, name, value):
        """A region also matches contracts delivered anywhere in the UK."""
        if value == Tender.Region.UK:
            return queryset.filter(delivery_region=value)
        return queryset.filter(delivery_region__in=[value, Tender.Region.UK])

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["newest"])[1])

    def filter_closing_from(self, queryset, name, value):
        return queryset.filter(deadline__gte=start_of_day(value))

    def filter_closing_to(self, queryset, name, value):
        return queryset.filter(deadline__lt=start_of_day(value + datetime.timedelta(days=1)))


class AuthorityTenderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Title or reference", method="search")
    status = django_filters.ChoiceFilter(label="Status", choices=Tender.Status.choices,
                                         empty_label="Any status")

    class Meta:
        model = Tender
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value))


class PipelineFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    authority = django_filters.ModelChoiceFilter(
        label="Commissioner", queryset=authorities_with_public_projects(),
        empty_label="Any commissioner")
    status = django_filters.ChoiceFilter(
        label="Stage", empty_label="Any stage",
        choices=[c for c in Project.Status.choices if c[0] != Project.Status.DRAFT])

    class Meta:
        model = Project
        fields = ["q", "authority", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["authority"].queryset = authorities_with_public_projects()

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(need__icontains=value)
                               | Q(outcomes__icontains=value))


class AuthorityProjectFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="Stage", choices=Project.Status.choices,
                                         empty_label="Any stage")

    class Meta:
        model = Project
        fields = ["status"]


class DirectAwardFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="Status", empty_label="Any status",
                                         choices=DirectAward.Status.choices)

    class Meta:
        model = DirectAward
        fields = ["status"]


class NoticeFilter(django_filters.FilterSet):
    notice_type = django_filters.ChoiceFilter(label="Notice type", empty_label="Any notice",
                                              choices=NoticeType.choices)

    class Meta:
        model = Notice
        fields = ["notice_type"]
