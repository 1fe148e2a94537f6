"""OCDS test support: offline schema validation, codelist checks, a no-network guard and a
contracting process built stage by stage from model rows (no other engineer's services).

Validation uses the official OCDS 1.1.5 files (``commissioning.ocds.standards``) through
``jsonschema``'s Draft 4 validator and a ``referencing`` registry that maps the schema URLs to
the local files, so nothing is fetched. ``date-time`` and ``uri`` formats are checked by our own
checkers (the optional packages jsonschema uses for them are not installed).
"""

from __future__ import annotations

import datetime
import re
import socket
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from commissioning.models import Award, Bid, ConsortiumMember, Contract, Tender
from commissioning.ocds.standards import OCID_PATTERN, codelist, load_schema
from organisations.models import Organisation
from tests import factories
from tests.commissioning import factories as cf

SCHEMA_FILES = ("release-schema.json", "versioned-release-validation-schema.json",
                "release-package-schema.json", "record-package-schema.json")
SECRET = "SEALED-ANSWER-do-not-publish"
BID_PRICE = "123456.78"


# -- The network guard ---------------------------------------------------------------------

@pytest.fixture
def no_network(monkeypatch):
    """Refuse every socket connection that is not to this machine (validation is offline)."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in {"127.0.0.1", "::1", "localhost"} \
                and sock.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"Network access refused in OCDS tests: {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "create_connection", _refuse_remote(socket.create_connection))


def _refuse_remote(create_connection):
    def guarded(address, *args, **kwargs):
        if address[0] not in {"127.0.0.1", "::1", "localhost"}:
            raise OSError(f"Network access refused in OCDS tests: {address!r}")
        return create_connection(address, *args, **kwargs)

    return guarded


# -- Schema validation ---------------------------------------------------------------------

@lru_cache(maxsize=1)
def _registry() -> Registry:
    resources = []
    for name in SCHEMA_FILES:
        schema = load_schema(name)
        resources.append((schema["id"], Resource.from_contents(
            schema, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


_formats = FormatChecker(formats=())


@_formats.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.datetime.fromisoformat(value)
    return True


@_formats.checks("uri", raises=ValueError)
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlparse(value)
    if not (parts.scheme in {"http", "https"} and parts.netloc) or " " in value:
        raise ValueError(f"{value!r} is not an absolute URI")
    return True


def schema_errors(package: dict, schema_name: str) -> list[str]:
    validator = Draft4Validator(load_schema(schema_name), registry=_registry(),
                                format_checker=_formats)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(package)]


def codelist_errors(release: dict) -> list[str]:
    """Values outside the codelists: every closed codelist, and the open ones too (we only
    mean to use codes from the lists; an addition would be a bug here)."""
    root = load_schema("release-schema.json")
    errors: list[str] = []
    _walk(release, root, root, "", errors)
    return errors


def _walk(data, node, root, path, errors) -> None:
    while "$ref" in node:
        node = root["definitions"][node["$ref"].split("/")[-1]]
    if "codelist" in node and data is not None:
        codes = codelist(node["codelist"])
        for value in data if isinstance(data, list) else [data]:
            if value not in codes:
                kind = "open" if node.get("openCodelist") else "closed"
                errors.append(f"{path}: {value!r} is not in {kind} codelist {node['codelist']}")
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if key in node.get("properties", {}):
                _walk(value, node["properties"][key], root, f"{path}/{key}", errors)
    elif isinstance(data, list) and isinstance(node.get("items"), dict):
        for index, value in enumerate(data):
            _walk(value, node["items"], root, f"{path}/{index}", errors)


def assert_valid_release_package(package: dict) -> None:
    errors = schema_errors(package, "release-package-schema.json")
    for release in package["releases"]:
        errors += codelist_errors(release)
        errors += _ocid_errors(release["ocid"])
    assert not errors, "\n".join(errors)


def assert_valid_record_package(package: dict) -> None:
    errors = schema_errors(package, "record-package-schema.json")
    for record in package["records"]:
        errors += codelist_errors(record["compiledRelease"])
        errors += _ocid_errors(record["ocid"])
    assert not errors, "\n".join(errors)


def _ocid_errors(ocid: str) -> list[str]:
    return [] if re.match(OCID_PATTERN, ocid) else [f"OCID {ocid!r} has no valid prefix"]


# -- A contracting process, stage by stage -------------------------------------------------

def provider(name: str, **fields) -> Organisation:
    return factories.OrganisationFactory(name=name, **fields)


def open_tender(**fields) -> Tender:
    """A published tender of a public project with CPVs, criteria and a document."""
    project = cf.ProjectFactory(budget=Decimal("500000.00"))
    fields.setdefault("authority", project.authority)
    tender = cf.TenderFactory(project=project, **fields)
    cf.TenderCpvFactory(tender=tender, code="85310000-5", is_main=True)
    cf.TenderCpvFactory(tender=tender, code="85311000-2", is_main=False)
    for kind, name, weight in (("quality", "Quality", 60), ("price", "Price", 30),
                               ("social_value", "Social value", 10)):
        cf.AwardCriterionFactory(tender=tender, kind=kind, name=name, weight=Decimal(weight))
    cf.TenderDocumentFactory(tender=tender, title="Specification")
    return tender


def submit_bid(tender: Tender, organisation: Organisation, *, members=(), lot=None) -> Bid:
    bid = cf.BidFactory(tender=tender, organisation=organisation, lot=lot,
                        status=Bid.Status.SUBMITTED, submitted_at=timezone.now(),
                        sealed_content=f"{SECRET} price {BID_PRICE}".encode())
    for member in members:
        ConsortiumMember.objects.create(bid=bid, organisation=member)
    return bid


def close_deadline(tender: Tender, *, status=Tender.Status.OPENED) -> None:
    tender.deadline = timezone.now() - datetime.timedelta(hours=1)
    tender.status = status
    tender.save(update_fields=["deadline", "status"])


def publish_award(tender: Tender, bid: Bid, *, value="390000.00", lot=None,
                  **fields) -> Award:
    now = timezone.now()
    fields.setdefault("status", Award.Status.STANDSTILL)
    fields.setdefault("notice_published_at", now)
    fields.setdefault("standstill_ends_on", (now + datetime.timedelta(days=12)).date())
    fields.setdefault("assessment_summaries_sent_at", now)
    return Award.objects.create(tender=tender, bid=bid, lot=lot, value=Decimal(value),
                                proposed_by=tender.created_by, **fields)


def enter_contract(award: Award, *, value="390000.00", **fields) -> Contract:
    today = timezone.localdate()
    fields.setdefault("signed_at", timezone.now())
    fields.setdefault("starts_on", today)
    fields.setdefault("ends_on", today + datetime.timedelta(days=3 * 365))
    contract = Contract.objects.create(award=award, value=Decimal(value),
                                       entered_by=award.proposed_by, **fields)
    Award.objects.filter(pk=award.pk).update(status=Award.Status.CONTRACTED)
    Tender.objects.filter(pk=award.tender_id).update(status=Tender.Status.CONTRACTED)
    return contract
