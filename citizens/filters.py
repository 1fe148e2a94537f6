"""List filters of the citizens app."""

import django_filters
from django import forms

from citizens import phases
from citizens.models import Panel


class PanelFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains",
                                  label="Panel name contains")
    phase = django_filters.ChoiceFilter(choices=phases.choices, empty_label="Any phase",
                                        label="Phase")
    young = django_filters.BooleanFilter(
        field_name="is_young", label="Young commissioners' panels only",
        widget=forms.CheckboxInput, method="filter_young")

    class Meta:
        model = Panel
        fields = ["q", "phase", "young"]

    def filter_young(self, queryset, name, value):
        return queryset.filter(is_young=True) if value else queryset
