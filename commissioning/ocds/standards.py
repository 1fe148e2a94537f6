"""Where the official OCDS 1.1.5 schema and codelists live (outside the repository).

The standard is read from ``../shared/standards/ocds-1.1.5`` next to the project, or from
``$PORTAL_STANDARDS_DIR/ocds-1.1.5`` when that variable is set. Nothing is copied into the
repository and nothing is fetched from the network.
"""

from __future__ import annotations

import csv
import json
import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings

OCDS_VERSION = "1.1"
STANDARD_FOLDER = "ocds-1.1.5"
RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
OCID_PATTERN = r"^ocds-[a-z0-9]{6}-"
LICENSE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def standards_dir() -> Path:
    """The folder holding the standards (``PORTAL_STANDARDS_DIR`` overrides the default)."""
    override = os.environ.get("PORTAL_STANDARDS_DIR")
    if override:
        return Path(override)
    return Path(settings.BASE_DIR).parent / "shared" / "standards"


def schema_dir() -> Path:
    return standards_dir() / STANDARD_FOLDER / "schema"


@lru_cache(maxsize=8)
def load_schema(name: str) -> dict:
    """One schema file of the standard, such as ``release-package-schema.json``."""
    return json.loads((schema_dir() / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=32)
def codelist(name: str) -> frozenset[str]:
    """The codes of one codelist CSV, such as ``tenderStatus.csv``."""
    with (schema_dir() / "codelists" / name).open(encoding="utf-8", newline="") as handle:
        return frozenset(row["Code"] for row in csv.DictReader(handle))
