"""The reports' filter: a date range, and for platform admins an authority.

A plain form rather than a django-filter FilterSet: each report applies the dates to its own
field (tender created, deadline, bid submitted, award notice), which a FilterSet bound to one
model cannot express.
"""

from __future__ import annotations

from django import forms

from core.forms import GovukDateField


class ReportFilterForm(forms.Form):
    start = GovukDateField(label="From", required=False, help_text="For example, 1 4 2026")
    end = GovukDateField(label="To", required=False, help_text="For example, 31 3 2027")
    authority = forms.ChoiceField(label="Authority", required=False)

    def __init__(self, *args, authorities: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if authorities:
            self.fields["authority"].choices = [("", "All authorities"), *authorities]
        else:
            del self.fields["authority"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The ‘To’ date must be the same as or after the ‘From’ date")
        return cleaned
