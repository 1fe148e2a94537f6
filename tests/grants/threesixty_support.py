"""360Giving validation offline: the official 1.4.3 schema from ../shared/standards, with
jsonschema's Draft 2020-12 validator, a registry mapping the schema URLs (the package's 1.4.2
reference included) to the local files, and our own date-time and uri format checkers (the
optional packages jsonschema uses for them are not installed)."""

from __future__ import annotations

import datetime
import json
import re
import socket
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

STANDARD = Path(settings.BASE_DIR).parent / "shared" / "standards" / "360giving-1.4.3" / "schema"
GRANT_URLS = ("https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/"
              "360-giving-schema.json",
              "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/"
              "360-giving-schema.json")


@lru_cache(maxsize=2)
def load(name: str) -> dict:
    return json.loads((STANDARD / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def registry() -> Registry:
    grant = Resource.from_contents(load("360-giving-schema.json"),
                                   default_specification=DRAFT202012)
    return Registry().with_resources([(url, grant) for url in GRANT_URLS])


formats = FormatChecker(formats=())


@formats.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.datetime.fromisoformat(value)
    return True


@formats.checks("uri", raises=ValueError)
def _uri(value) -> bool:
    if isinstance(value, str):
        parts = urlparse(value)
        if not (parts.scheme in {"http", "https"} and parts.netloc) or " " in value:
            raise ValueError(f"{value!r} is not an absolute URI")
    return True


def package_errors(package: dict) -> list[str]:
    validator = Draft202012Validator(load("360-giving-package-schema.json"),
                                     registry=registry(), format_checker=formats)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(package)]


def assert_valid_package(package: dict) -> None:
    errors = package_errors(package)
    assert not errors, "\n".join(errors[:20])


@pytest.fixture
def no_network(monkeypatch):
    """Refuse connections off this machine: validation must not fetch anything."""
    real = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in {"127.0.0.1", "::1", "localhost"} \
                and sock.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"Network access refused: {address!r}")
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
