"""Hostile input, generated from a fixed seed so that every run sends the same cases."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

from django.core.files.uploadedfile import SimpleUploadedFile

from core.sample_files import simple_pdf
from tests.fuzz.portal import Form, FormField

SEED = 20261201

TEXT = [
    "", "   ", "a" * 10_000, "\x00", "name\x00with a NUL", "ünïcødé ✓ 漢字 🚀 \u202eevil",
    "<script>alert(1)</script>", "'; DROP TABLE organisations_organisation; --",
    "%s %n {0} {{ 7*7 }}", "\r\n\t\x0b", "Z" * 256,
]
NUMBERS = [
    "-1", "0", "-99999999999999999999", "99999999999999999999999999999999", "1e400", "NaN",
    "Infinity", "0.0000000000000000000001", "12.345678", "0x1F", "1,000,000", "١٢٣", "12abc",
    "9223372036854775808", "2147483648", "£1,000", "-0",
]
DATES = [
    "2026-02-31", "31/02/2026", "0000-00-00", "9999-12-31", "99999-01-01", "1900-01-01",
    "32", "13", "0", "yesterday", "2026-13-01T25:61",
]
URL_JUNK = ["0", "99999999999999999999", "-1", "\x00", "é" * 300, "..%2F..%2Fetc%2Fpasswd"]
EVERYTHING = TEXT + NUMBERS + DATES


def junk(rng: random.Random, field: FormField | None = None) -> str:
    """One hostile value, biased towards what the field looks like it wants."""
    kind = field.kind if field else ""
    name = field.name.lower() if field else ""
    if kind in ("number", "range") or name.endswith(("_pk", "_id", "price", "amount", "value")):
        pool = NUMBERS + DATES[:4]
    elif kind in ("date", "datetime-local", "time") or name.endswith(
            ("day", "month", "year", "_0", "_1", "_2", "date", "deadline", "_at")):
        pool = DATES + NUMBERS[:5]
    else:
        pool = EVERYTHING
    return rng.choice(pool)


def plausible(field: FormField) -> str:
    """A value a careful person would send, so the baseline case gets past validation."""
    if field.value and field.kind not in ("checkbox", "radio"):
        return field.value
    if field.options:
        return next((option for option in field.options if option), field.options[0])
    name = field.name.lower()
    defaults = {
        "email": "fuzz@example.org", "number": "1", "date": "2027-01-15", "url":
        "https://example.org", "tel": "01234 567890", "password": "Commission-2026!",
        "datetime-local": "2027-01-15T12:00", "time": "12:00",
    }
    if field.kind in defaults:
        return defaults[field.kind]
    for ending, value in (("day", "15"), ("month", "1"), ("year", "2027"), ("_0", "15"),
                          ("_1", "1"), ("_2", "2027"), ("postcode", "LS1 4DY"),
                          ("email", "fuzz@example.org"), ("price", "1000.00")):
        if name.endswith(ending):
            return value
    return "Fuzz test value"


def grouped(form: Form) -> dict[str, list[FormField]]:
    """Fields by name; radios and checkboxes of one name become one field with options."""
    by_name: dict[str, list[FormField]] = defaultdict(list)
    for f in form.fields:
        if f.kind in ("submit", "button", "reset", "image"):
            continue
        by_name[f.name].append(f)
    merged = {}
    for name, fields in by_name.items():
        first = fields[0]
        if first.kind in ("radio", "checkbox"):
            checked = [f.value for f in fields if f.checked]
            first = FormField(name, first.kind, checked[0] if checked else "",
                              options=[f.value for f in fields], multiple=first.kind ==
                              "checkbox", checked=bool(checked))
        merged[name] = [first]
    return {name: fields for name, fields in merged.items()}


def submit_button(form: Form) -> dict[str, str]:
    for f in form.fields:
        if f.kind in ("submit", "image") and f.name:
            return {f.name: f.value}
    return {}


def upload(rng: random.Random, hostile: bool) -> SimpleUploadedFile:
    if not hostile:
        return SimpleUploadedFile("method-statement.pdf", simple_pdf(), "application/pdf")
    name, content, kind = rng.choice([
        ("empty.pdf", b"", "application/pdf"),
        ("a" * 300 + ".pdf", simple_pdf(), "application/pdf"),
        ("nul\x00name.pdf", simple_pdf(), "application/pdf"),
        ("ünïcødé ✓.pdf", simple_pdf(), "application/pdf"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf"),
        ("../../etc/passwd", b"root:x:0:0", "text/plain"),
        ("zeros.docx", b"\x00" * 4096, "application/octet-stream"),
    ])
    return SimpleUploadedFile(name, content, kind)


def form_cases(form: Form, *, actor: str, budget: int, foreign_ids: list[str]):
    """At most `budget` (label, data) pairs: baseline, missing, repeated, all-junk, per field."""
    yield from itertools.islice(_form_cases(form, actor, budget, foreign_ids), budget)


def _form_cases(form: Form, actor: str, budget: int, foreign_ids: list[str]):
    rng = random.Random(f"{SEED}|{actor}|{form.action}|{form.signature}")  # noqa: S311
    fields = grouped(form)
    button = submit_button(form)
    csrf = {name: f[0].value for name, f in fields.items() if name == "csrfmiddlewaretoken"}
    editable = [name for name in fields if name != "csrfmiddlewaretoken"]

    def base() -> dict:
        data = dict(button)
        for name, (f,) in fields.items():
            if f.kind == "file":
                data[name] = upload(rng, hostile=False)
            elif f.kind == "checkbox" and f.multiple:
                data[name] = [o for o in f.options] if f.options else []
            else:
                data[name] = plausible(f)
        return data

    def hostile(name: str):
        f = fields[name][0]
        if f.kind == "file":
            return upload(rng, hostile=True)
        if foreign_ids and (f.kind in ("select", "radio", "hidden") or rng.random() < 0.2):
            return rng.choice(foreign_ids + [junk(rng, f)])
        return junk(rng, f)

    yield "baseline", base()
    if not editable:
        return
    yield "missing fields", {**csrf, **button}
    repeated = base()
    for name in editable:
        if fields[name][0].kind != "file":
            repeated[name] = [plausible(fields[name][0]), junk(rng, fields[name][0])]
    yield "repeated fields", repeated
    yield "all hostile", {**base(), **{name: hostile(name) for name in editable}}
    start = rng.randrange(len(editable))  # each person begins with another field
    for index in range(max(budget - 4, 0)):
        name = editable[(start + index) % len(editable)]
        value = hostile(name)
        yield f"{name}={_label(value)}", {**base(), name: value}


def query_cases(form: Form, *, actor: str, budget: int, foreign_ids: list[str]):
    """GET forms (filters, search): the same cases, sent as the query string."""
    for label, data in form_cases(form, actor=actor, budget=budget, foreign_ids=foreign_ids):
        yield label, {k: v for k, v in data.items() if not hasattr(v, "read")}


def _label(value) -> str:
    text = getattr(value, "name", value)
    text = repr(text)
    return text if len(text) < 40 else text[:37] + "...'"
