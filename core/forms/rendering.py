"""The project-wide form renderer: every Django form renders as GOV.UK Frontend markup.

``{{ form }}`` gives an error summary followed by every field as a GOV.UK form group;
``{{ form.field.as_field_group }}`` gives one form group; ``{{ form.field }}`` gives the control
alone, already carrying the GOV.UK classes (``govuk-input``, ``govuk-select``...).

Why not ``TemplatesSetting``: it looks templates up in the project engine only, where Django's
own widget templates (``django/forms/widgets/*.html``) exist only when ``django.forms`` is in
``INSTALLED_APPS``. This renderer builds its own engine from the project's template settings and
adds Django's form templates last, so project and app templates win and nothing has to be added
to the settings.
"""

from __future__ import annotations

import copy
from functools import cached_property
from pathlib import Path

import django.forms
from django.conf import settings
from django.forms import widgets as django_widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import BaseRenderer, EngineMixin
from django.template.backends.django import DjangoTemplates as DjangoTemplatesBackend

DJANGO_FORM_TEMPLATES = Path(django.forms.__file__).resolve().parent / "templates"

# Django widget templates whose markup differs from GOV.UK Frontend beyond a class name.
WIDGET_TEMPLATE_OVERRIDES = {
    "django/forms/widgets/radio.html": "forms/govuk/widgets/radios.html",
    "django/forms/widgets/checkbox_select.html": "forms/govuk/widgets/checkboxes.html",
    "django/forms/widgets/clearable_file_input.html": (
        "forms/govuk/widgets/clearable_file_input.html"
    ),
}


def govuk_widget_classes(widget: django_widgets.Widget, *, has_errors: bool) -> str:
    """The GOV.UK Frontend classes for the control that ``widget`` renders ('' if none)."""
    if widget.is_hidden or isinstance(widget, django_widgets.RadioSelect):
        return ""  # radios and checkboxes put their classes on each item (see the templates)
    if getattr(widget, "govuk_renders_own_classes", False):
        return ""
    if isinstance(widget, django_widgets.CheckboxInput):
        return "govuk-checkboxes__input"
    if isinstance(widget, django_widgets.Textarea):
        block = "govuk-textarea"
    elif isinstance(widget, django_widgets.Select):
        block = "govuk-select"
    elif isinstance(widget, django_widgets.FileInput):
        block = "govuk-file-upload"
    elif isinstance(widget, django_widgets.PasswordInput):
        classes = "govuk-input govuk-password-input__input govuk-js-password-input-input"
        return f"{classes} govuk-input--error" if has_errors else classes
    elif isinstance(widget, (django_widgets.Input, django_widgets.MultiWidget)):
        block = "govuk-input"
    else:
        return ""
    return f"{block} {block}--error" if has_errors else block


def _is_radios(widget: django_widgets.Widget) -> bool:
    return isinstance(widget, django_widgets.RadioSelect) and not isinstance(
        widget, django_widgets.CheckboxSelectMultiple)


def _without_blank_choice(widget: django_widgets.ChoiceWidget) -> django_widgets.ChoiceWidget:
    """A copy of a required radios widget without Django's blank "---------" choice.

    Model fields with choices and no default get a blank choice, which radios would show as a
    pre-selected "---------" option. GOV.UK radios start with nothing selected instead.
    """
    choices = [(value, label) for value, label in widget.choices if value not in ("", None)]
    trimmed = copy.copy(widget)
    trimmed.choices = choices
    return trimmed


class GovukBoundField(BoundField):
    """A BoundField whose control carries GOV.UK classes and leaves validation to the server."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        if self.field.required and _is_radios(widget):
            widget = _without_blank_choice(widget)
        attrs = dict(attrs or {})
        classes = govuk_widget_classes(widget, has_errors=bool(self.errors))
        if classes and not only_initial:
            extra = attrs.get("class") or widget.attrs.get("class")
            attrs["class"] = f"{classes} {extra}" if extra else classes
        if isinstance(widget, django_widgets.PasswordInput):
            attrs.setdefault("spellcheck", "false")
            attrs.setdefault("autocapitalize", "none")
        # GOV.UK Frontend: no placeholder text, labels and hints say what to enter.
        attrs["placeholder"] = False
        return super().as_widget(widget=widget, attrs=attrs, only_initial=only_initial)

    def build_widget_attrs(self, attrs, widget=None):
        # Browser validation would bypass the error summary, so the server reports every error.
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("required", None)
        return attrs


class GovukFormRenderer(EngineMixin, BaseRenderer):
    form_template_name = "forms/govuk/form.html"
    formset_template_name = "django/forms/formsets/div.html"
    field_template_name = "forms/govuk/field.html"
    bound_field_class = GovukBoundField
    backend = DjangoTemplatesBackend

    @cached_property
    def engine(self):
        project = next(
            (
                config
                for config in settings.TEMPLATES
                if config["BACKEND"] == "django.template.backends.django.DjangoTemplates"
            ),
            {},
        )
        options = project.get("OPTIONS", {})
        loaders = [
            (
                "django.template.loaders.filesystem.Loader",
                [str(d) for d in project.get("DIRS", [])],
            ),
            "django.template.loaders.app_directories.Loader",
            ("django.template.loaders.filesystem.Loader", [str(DJANGO_FORM_TEMPLATES)]),
        ]
        if not settings.DEBUG:
            loaders = [("django.template.loaders.cached.Loader", loaders)]
        return self.backend(
            {
                "APP_DIRS": False,
                "DIRS": [],
                "NAME": "govukforms",
                "OPTIONS": {
                    "builtins": list(options.get("builtins", [])),
                    "libraries": dict(options.get("libraries", {})),
                    "loaders": loaders,
                },
            }
        )

    def get_template(self, template_name):
        return super().get_template(WIDGET_TEMPLATE_OVERRIDES.get(template_name, template_name))
