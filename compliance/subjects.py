"""How a finding names its subject in words and where it links, registered by each app.

Apps call ``describe(Model, describer)`` from their ``compliance.py``; a describer takes the
subject and returns ``Description(label, url, perm)``: the words a person reads ("Contract
CON-2026-0003 Meals on wheels"), the page about it and the permission that page asks for (the
link is shown only when the person has it). Models nobody described are named by their own
``__str__`` when they have one, else by their verbose name, never "Commitment object (3)".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Description:
    label: str
    url: str = ""
    perm: str | None = None  # the permission the page at `url` asks for, on `perm_object`
    perm_object: object = None


Describer = Callable[[models.Model], Description]
_describers: dict[type[models.Model], Describer] = {}


def describe(model: type[models.Model], describer: Describer) -> None:
    """Register how findings about rows of `model` name and link their subject."""
    _describers[model] = describer


def description_of(subject: models.Model) -> Description:
    describer = _describers.get(type(subject))
    if describer is not None:
        return describer(subject)
    kind = str(subject._meta.verbose_name).capitalize()
    text = str(subject)
    default = f"{type(subject).__name__} object ({subject.pk})"
    label = kind if text == default else f"{kind}: {text}"
    url = subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""
    return Description(label=label, url=url)
