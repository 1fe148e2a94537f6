"""Filters of the findings dashboard."""

from __future__ import annotations

import django_filters
from django.http import QueryDict

from compliance import registry
from compliance.models import Finding
from compliance.registry import Severity

DEFAULT_STATUS = Finding.Status.OPEN


class FindingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Finding.Status.choices, empty_label="Any status", label="Status"
    )
    severity = django_filters.ChoiceFilter(
        choices=Severity.choices, empty_label="Any severity", label="Severity"
    )
    check = django_filters.ChoiceFilter(
        field_name="check_id", choices=[], empty_label="Any check", label="Check"
    )

    class Meta:
        model = Finding
        fields = ["status", "severity", "check"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Checks register at start-up; read them per request, not at import.
        self.filters["check"].extra["choices"] = registry.check_choices()


def with_default_status(query: QueryDict) -> QueryDict:
    """Show open findings unless the person chose a status (an empty choice means any)."""
    data = query.copy()
    if "status" not in data:
        data["status"] = DEFAULT_STATUS
    return data
