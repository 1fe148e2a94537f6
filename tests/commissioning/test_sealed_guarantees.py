"""The sealed-bid guarantees (Annex IV (b), (e), (g); perf_reliability Implication 17).

A unique marker is written into an answer, the price breakdown, a social value commitment and
a file. Before opening, no page a non-bidder can reach shows it, and no table row or stored file
holds it in plaintext. After the two-person opening, an evaluator without a conflict reads it,
and the access is audited.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from commissioning.models import ConflictDeclaration
from commissioning.selectors.bids import bid_content, bid_file_response
from commissioning.services import bids as services
from core.models import AuditEntry
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf
from tests.commissioning.bids_support import open_bids, pdf_upload
from tests.socialvalue.conftest import local_framework, local_measures, plan  # noqa: F401

pytestmark = pytest.mark.django_db
MARKER = f"SEALEDMARKER{secrets.token_hex(6).upper()}"


@pytest.fixture
def sealed(plan, authority, commissioner, provider, bid_writer):  # noqa: F811
    tender = cf.TenderFactory(authority=authority, created_by=commissioner,
                              social_value_plan=plan)
    question = cf.TenderQuestionFactory(tender=tender, number=1)
    slot = cf.DocumentSlotFactory(tender=tender)
    bid = services.bid_start(tender=tender, organisation=provider, actor=bid_writer)
    services.bid_answer_save(bid=bid, question=question, actor=bid_writer,
                             text=f"Our approach {MARKER}")
    services.bid_price_save(bid=bid, total=Decimal("1000.00"), actor=bid_writer,
                            breakdown=[{"item": f"Staff {MARKER}", "amount": Decimal("1000")}])
    entries = [{"plan_measure_id": pm.pk, "quantity": Decimal("2"),
                "delivery_plan": f"Hire locally {MARKER}", "owner_name": "Asha Khan",
                "milestones": "Quarterly", "method_statement": "Job fairs", "is_local": True,
                "is_core_deliverable": False, "deadweight": Decimal("0"),
                "attribution": Decimal("100")}
               for pm in plan.measures.filter(measure__code__in=["L1", "L2"])]
    result = services.bid_social_value_save(bid=bid, entries=entries, actor=bid_writer)
    services.bid_file_add(bid=bid, slot=slot, actor=bid_writer,
                          uploaded_file=pdf_upload("method.pdf", text=f"Method {MARKER}"))
    services.bid_declarations_save(bid=bid, actor=bid_writer,
                                   declarations={"accurate": True, "no_collusion": True})
    blocking = [i for i in result.issues if i.severity == "error"]
    assert not blocking, [i.message for i in blocking]
    services.bid_submit(bid=bid, actor=bid_writer)
    evaluator = factories.with_totp(factories.member(authority, Role.EVALUATOR))
    cf.TenderEvaluatorFactory(tender=tender, user=evaluator)
    ConflictDeclaration.objects.create(tender=tender, evaluator=evaluator, has_conflict=False)
    superuser = factories.with_totp(factories.PlatformAdminFactory(is_superuser=True))
    bid.refresh_from_db()
    return {"tender": tender, "bid": bid, "evaluator": evaluator, "superuser": superuser,
            "commissioner": commissioner}


# -- (a) pages -------------------------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _candidate_paths(values: dict[str, list]):
    """Every GET-able path, each int parameter tried with each candidate id."""
    import re

    for route, pattern in _patterns(get_resolver()):
        if route.startswith("^") or "(?P" in route:
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route.lstrip("^").rstrip("$"))
            route = route.replace("\\", "")
        names = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        if not names:
            yield "/" + route
            continue
        converters = getattr(pattern.pattern, "converters", {})
        for value in values["ids"]:
            path = route
            for converter, name in names:
                is_int = isinstance(converters.get(name), IntConverter) or converter == "int"
                fill = str(value) if is_int else values["text"]
                path = re.sub(rf"<(?:\w+:)?{name}>", fill, path, count=1)
            yield "/" + path


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_no_page_shows_bid_content_to_anyone_outside_the_bid_before_opening(sealed):
    bid = sealed["bid"]
    ids = sorted({bid.pk, sealed["tender"].pk, *bid.files.values_list("pk", flat=True),
                  *bid.files.values_list("document_id", flat=True),
                  *bid.receipts.values_list("pk", flat=True), 1, 2})
    values = {"ids": ids, "text": sealed["tender"].ocid or "x"}
    paths = sorted(set(_candidate_paths(values)))
    viewers = [None, sealed["commissioner"], sealed["evaluator"], sealed["superuser"]]
    seen = 0
    for viewer in viewers:
        client = Client(raise_request_exception=False)
        if viewer is not None:
            client.force_login(viewer)
        for path in paths:
            if "logout" in path:
                continue
            response = client.get(path)
            seen += response.status_code == 200
            assert MARKER.encode() not in _body(response), f"{path} shows bid content"
    assert seen > 10  # the crawl reached real pages, including the admin


def test_exports_hold_no_bid_content(sealed, tmp_path):
    if "export_ocds" not in get_commands():
        pytest.skip("export_ocds is not there yet")
    from django.core.management.base import CommandError

    from commissioning.services.publication import release_publish

    release_publish(tender=sealed["tender"], tags=["tender"])
    output = tmp_path / "ocds.json"
    with contextlib.suppress(CommandError, SystemExit):
        call_command("export_ocds", "--output", str(output))
    if output.exists():
        assert MARKER not in output.read_text()


# -- (b) the database and the disk ------------------------------------------------------------


def _as_bytes(value) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


def test_no_table_row_and_no_stored_file_holds_the_plaintext(sealed):
    marker = MARKER.encode()
    checked = 0
    for model in apps.get_models(include_auto_created=True):
        for row in model._base_manager.values():
            for column, value in row.items():
                assert marker not in _as_bytes(value), (
                    f"{model._meta.label}.{column} holds bid content in plaintext")
                checked += 1
    assert checked > 100
    media = Path(settings.MEDIA_ROOT)
    files = [Path(root) / name for root, _, names in os.walk(media) for name in names]
    stored = [f for f in files if f.name.endswith(".bin")]
    assert stored, "the bid's file was stored"
    for path in files:
        assert marker not in path.read_bytes(), f"{path} holds bid content in plaintext"


def test_the_stored_content_is_ciphertext(sealed):
    bid = sealed["bid"]
    assert bytes(bid.sealed_content).startswith(b"gAAAAA")  # a Fernet token
    document = bid.files.get().document
    assert document.encrypted
    with document.file.open("rb") as handle:
        assert not handle.read().startswith(b"%PDF")


# -- (c) after opening --------------------------------------------------------------------------


def test_after_the_two_person_opening_the_evaluator_reads_it_and_is_audited(sealed):
    bid, evaluator = sealed["bid"], sealed["evaluator"]
    admin = factories.with_totp(factories.member(sealed["tender"].authority,
                                                 Role.AUTHORITY_ADMIN))
    open_bids(sealed["tender"], requested_by=sealed["commissioner"], confirmed_by=admin)
    content = bid_content(bid=bid, user=evaluator)
    assert MARKER in next(iter(content["answers"].values()))
    assert MARKER in content["price"]["breakdown"][0]["item"]
    assert MARKER in content["social_value"][0]["delivery_plan"]
    response = bid_file_response(bid_file=bid.files.get(), user=evaluator)
    assert MARKER.encode() in b"".join(response.streaming_content)
    entries = AuditEntry.objects.filter(action="bid.content_viewed", actor_id=evaluator.pk)
    assert entries.count() == 2
    assert {e.changes["part"] for e in entries} == {"content", "file"}
