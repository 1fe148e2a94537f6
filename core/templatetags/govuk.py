"""Template tags and filters for GOV.UK Frontend markup: only what an include cannot do."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.core.paginator import Page
from django.forms import (
    BoundField,
    CheckboxInput,
    CheckboxSelectMultiple,
    MultiWidget,
    PasswordInput,
    RadioSelect,
)
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()

PENNY = Decimal("0.01")


@register.simple_tag(takes_context=True)
def querystring_replace(context, **changes) -> str:
    """The current query string with some keys replaced (or removed when given None).

    Keeps the filters of a list page when linking to another page of it:
    ``<a href="{% querystring_replace page=3 %}">``. Reads ``request`` from the context, so pass
    it into ``include ... only``.
    """
    request = context.get("request")
    query = request.GET.copy() if request is not None else _empty_querydict()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _empty_querydict():
    from django.http import QueryDict

    return QueryDict(mutable=True)


@register.filter
def gbp(value, pence: bool = True) -> str:
    """Format an amount as pounds sterling: ``Decimal("1234.5")`` becomes ``£1,234.50``.

    ``{{ amount|gbp:False }}`` rounds to whole pounds (``£1,235``). Empty values render as "".
    """
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    if not amount.is_finite():
        return ""
    places = PENNY if pence else Decimal("1")
    amount = amount.quantize(places, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.2f}" if pence else f"{abs(amount):,.0f}"
    return f"{sign}£{text}"


@register.filter
def govuk_date(value, with_time: bool = False) -> str:
    """A date in GOV.UK style: ``21 November 2026``, optionally ``21 November 2026 at 2:30pm``.

    Aware datetimes are shown in the current time zone (Europe/London).
    """
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        text = date_format(value, "j F Y")
        return f"{text} at {govuk_time(value)}" if with_time else text
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


@register.filter
def govuk_time(value) -> str:
    """A time in GOV.UK style: ``9am``, ``2:30pm``, ``midday``, ``midnight``."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{suffix}"


@register.filter
def govuk_input_id(bound_field: BoundField) -> str:
    """The id of the input an error summary link should move focus to.

    The first radio or checkbox of a group (``id_<name>_0``), the day of a date input, the
    input itself otherwise.
    """
    auto_id = bound_field.auto_id
    if not auto_id:
        return ""
    widget = bound_field.field.widget
    if isinstance(widget, RadioSelect):  # and CheckboxSelectMultiple: the first option
        return widget.id_for_label(auto_id, "0")
    if isinstance(widget, MultiWidget) or bound_field.use_fieldset:
        return widget.id_for_label(auto_id) or f"{auto_id}_0"
    return bound_field.id_for_label or auto_id


@register.filter
def page_range(page: Page, on_each_side: int = 1):
    """Page numbers to show around the current page, with ``None`` where pages are elided."""
    paginator = page.paginator
    for number in paginator.get_elided_page_range(
        page.number, on_each_side=on_each_side, on_ends=1
    ):
        yield None if number == paginator.ELLIPSIS else number


@register.filter
def any_has(rows, key: str) -> bool:
    """Whether any of the mappings in ``rows`` has a truthy value for ``key``."""
    return any(isinstance(row, Mapping) and row.get(key) for row in rows or ())


@register.filter
def is_mapping(value) -> bool:
    return isinstance(value, Mapping)


@register.filter
def govuk_label(bound_field: BoundField) -> str:
    """The field's label, with " (optional)" when the person may leave it empty.

    Not added twice (a label that already says "(optional)"), and not added to a field that
    may be left empty for now but is needed later (``field.govuk_needed_later = True``, for
    example a choice that publishing requires): the hint says when it is needed instead.
    """
    label = str(bound_field.label or "")
    field = bound_field.field
    if field.required or getattr(field, "govuk_needed_later", False):
        return label
    if label.rstrip().lower().endswith("(optional)"):
        return label
    return f"{label} (optional)"


@register.filter
def govuk_kind(bound_field: BoundField) -> str:
    """Which GOV.UK form-group layout a field needs (used by forms/govuk/field.html)."""
    widget = bound_field.field.widget
    if widget.is_hidden:
        return "hidden"
    if kind := getattr(widget, "govuk_kind", None):
        return kind
    if isinstance(widget, CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, RadioSelect):
        return "radios"
    if isinstance(widget, CheckboxInput):
        return "checkbox"
    if isinstance(widget, PasswordInput):
        return "password"
    if bound_field.use_fieldset:
        return "fieldset"
    return "control"


@register.simple_tag(takes_context=True)
def querystring_replace_param(context, key: str, value) -> str:
    """Like ``querystring_replace`` for a parameter whose name is itself a variable."""
    return querystring_replace(context, **{key: value})


PUBLIC_SETTINGS = {"PORTAL_NAME", "PORTAL_OPERATOR", "PORTAL_CONTACT_EMAIL"}


@register.simple_tag
def portal_setting(name: str) -> str:
    """A public portal setting, for templates rendered without context processors (500.html)."""
    if name not in PUBLIC_SETTINGS:
        raise template.TemplateSyntaxError(f"{name} is not a public portal setting")
    from django.conf import settings

    return getattr(settings, name, "")


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_TITLE_WORD = re.compile(r"\b[A-Z][a-z]+\b")
_WORDING = {"Signup": "Sign up"}  # allauth's page title for its "Sign Up" heading


@register.filter(is_safe=True)
def sentence_case(value) -> str:
    """GOV.UK sentence case for headings and buttons written in title case by others.

    "Two-Factor Authentication" becomes "Two-factor authentication", "Sign In" "Sign in".
    The first word keeps its capital; so do acronyms (TOTP), words with inner capitals
    (WebAuthn) and the words of the portal's name. Markup inside the value is left alone.
    """
    from django.conf import settings

    keep = set(str(getattr(settings, "PORTAL_NAME", "")).split())
    seen_first = False

    def lower(match: re.Match) -> str:
        word = match.group(0)
        return word if word in keep else word.lower()

    text = str(value)
    for before, after in _WORDING.items():
        text = re.sub(rf"\b{before}\b", after, text)
    parts = _TAG_OR_TEXT.split(text)
    for index, part in enumerate(parts):
        if part.startswith("<") or not part.strip():
            continue
        if not seen_first:
            first = re.search(r"[A-Za-z]+", part)
            if first is None:
                continue
            seen_first = True
            head, tail = part[:first.end()], part[first.end():]
            parts[index] = head + _TITLE_WORD.sub(lower, tail)
        else:
            parts[index] = _TITLE_WORD.sub(lower, part)
    return "".join(parts)


@register.filter(is_safe=True)
def squash(value) -> str:
    """Collapse runs of whitespace to single spaces (tidy <title> text from nested blocks)."""
    return " ".join(str(value).split())
