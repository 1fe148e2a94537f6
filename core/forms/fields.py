"""Form fields for GOV.UK patterns that Django has no widget for."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

from core.templatetags.govuk import govuk_date

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

DATE_PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: separate day, month and year text boxes in a fieldset.

    ``autocomplete_prefix="bday"`` adds ``autocomplete="bday-day"`` and so on (dates of birth).
    Inputs are named ``<name>_day``, ``<name>_month``, ``<name>_year`` and have the ids
    ``<id>_0``, ``<id>_1``, ``<id>_2``.
    """

    template_name = "forms/govuk/widgets/date_input.html"
    use_fieldset = True
    govuk_renders_own_classes = True
    govuk_kind = "date"

    def __init__(self, attrs=None, *, autocomplete_prefix: str | None = None):
        widgets = {}
        for name, _label, _width in DATE_PARTS:
            part_attrs = {"inputmode": "numeric"}
            if autocomplete_prefix:
                part_attrs["autocomplete"] = f"{autocomplete_prefix}-{name}"
            widgets[name] = forms.TextInput(attrs=part_attrs)
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (_name, label, width) in zip(
            context["widget"]["subwidgets"], DATE_PARTS, strict=True
        ):
            sub_attrs = subwidget["attrs"]
            classes = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
            if sub_attrs.get("aria-invalid"):
                classes += " govuk-input--error"
            sub_attrs["class"] = classes
            sub_attrs.pop("required", None)
            sub_attrs.pop("placeholder", None)
            subwidget["label"] = label
        context["widget"]["attrs"].pop("class", None)
        return context


class GovukDateField(forms.MultiValueField):
    """A date entered as day, month and year, cleaned to a ``datetime.date``.

    Error messages follow the GOV.UK date input pattern ("Date must include a month", "Date must
    be a real date"...). ``min_date``/``max_date`` bound the accepted range. When the field has
    a ``label``, messages use it in place of "Date".
    """

    widget = GovukDateInput
    default_error_messages = {
        "required": "Enter {a_label}",
        "incomplete": "{label} must include a {parts}",
        "invalid": "{label} must be a real date",
        "year": "Year must include 4 numbers",
        "min_date": "{label} must be the same as or after {date}",
        "max_date": "{label} must be the same as or before {date}",
    }

    def __init__(
        self,
        *,
        min_date: datetime.date | None = None,
        max_date: datetime.date | None = None,
        autocomplete_prefix: str | None = None,
        **kwargs,
    ):
        self.min_date = min_date
        self.max_date = max_date
        kwargs.setdefault("widget", GovukDateInput(autocomplete_prefix=autocomplete_prefix))
        fields = tuple(forms.CharField(required=False) for _ in DATE_PARTS)
        super().__init__(fields, require_all_fields=False, **kwargs)

    def _message(self, code: str, **params) -> ValidationError:
        label = str(self.label) if self.label else "Date"
        a_label = label[0].lower() + label[1:] if self.label else "a date"
        text = str(self.error_messages[code]).format(label=label, a_label=a_label, **params)
        return ValidationError(text, code=code)

    def clean(self, value):
        if not value or all(part in self.empty_values for part in value):
            if self.required:
                raise self._message("required")
            return None
        return super().clean(value)

    def compress(self, data_list):
        if not data_list or all(part in self.empty_values for part in data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [
            name
            for (name, _l, _w), part in zip(DATE_PARTS, (day, month, year), strict=True)
            if not part
        ]
        if missing:
            raise self._message("incomplete", parts=" and ".join(missing))
        month_number = MONTH_NAMES.get(month.lower(), month)
        try:
            day_number, month_number, year_number = int(day), int(month_number), int(year)
        except ValueError:
            raise self._message("invalid") from None
        if not year.isdigit() or len(year) != 4:
            raise self._message("year")
        try:
            value = datetime.date(year_number, month_number, day_number)
        except (ValueError, OverflowError):  # 31 February, or a day of 10**20
            raise self._message("invalid") from None
        if self.min_date and value < self.min_date:
            raise self._message("min_date", date=govuk_date(self.min_date))
        if self.max_date and value > self.max_date:
            raise self._message("max_date", date=govuk_date(self.max_date))
        return value

    def has_changed(self, initial, data):
        try:
            return self.to_python_date(initial) != self.to_python_date(data)
        except ValidationError:
            return True

    def to_python_date(self, value):
        if isinstance(value, datetime.date) or value is None:
            return value
        return self.compress(value)
