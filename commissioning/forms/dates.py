"""The GOV.UK date-and-time helpers now live in core.forms.dates (shared with grants)."""

from core.forms.dates import (  # noqa: F401  (re-exported for the commissioning forms)
    GovukForm,
    GovukModelForm,
    TimeField,
    add_datetime_fields,
    combined_datetime,
    govuk_required_messages,
    parse_time,
)
