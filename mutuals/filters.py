"""The public register's filters: search, sector, region, services, origin, definition met."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from mutuals.models import Definition, MutualProfile, MutualService, Region, Sector
from mutuals.selectors import current_recognitions


class RegisterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search", max_length=100,
                                  help_text="Name, town or what it does.")
    sector = django_filters.ChoiceFilter(label="Sector", choices=Sector.choices,
                                         field_name="mutual_profile__sector",
                                         empty_label="Any sector")
    region = django_filters.ChoiceFilter(label="Region", choices=Region.choices,
                                         field_name="mutual_profile__region",
                                         empty_label="Any region")
    service = django_filters.CharFilter(
        label="Service (CPV code)", method="by_service", max_length=10,
        help_text="All or the start of a code, like 853 for social work services.")
    origin = django_filters.ChoiceFilter(
        label="Origin", choices=MutualProfile.Origin.choices, field_name="mutual_profile__origin",
        widget=forms.RadioSelect, empty_label=None)
    definition = django_filters.ChoiceFilter(
        label="Definition met", choices=Definition.Key.choices, method="by_definition",
        widget=forms.RadioSelect, empty_label=None)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(town__icontains=value)
                               | Q(mutual_profile__public_summary__icontains=value))

    def by_service(self, queryset, name, value):
        digits = "".join(ch for ch in value if ch.isdigit())[:8]
        if not digits:
            return queryset
        services = MutualService.objects.filter(profile__organisation=OuterRef("pk"),
                                                cpv_code__startswith=digits)
        return queryset.filter(Exists(services))

    def by_definition(self, queryset, name, value):
        met = current_recognitions().filter(organisation=OuterRef("pk"), definition_key=value)
        return queryset.filter(Exists(met))
