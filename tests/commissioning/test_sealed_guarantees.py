"""The sealed-bid guarantees (Annex IV (b), (e), (g); perf_reliability Implication 17).

A unique marker is written into an answer, the price breakdown, a social value commitment, a
file and the file's name. Before opening, no page a non-bidder can reach shows it, and no table
row or stored file holds it in plaintext. Sealed means the metadata too: before opening, the
audit log and its admin pages tell a platform admin neither who bids nor what they uploaded,
and no admin form offers a sealed file. After the two-person opening, an evaluator without a
conflict reads it, and every page, for every role, that shows any part of an opened bid has
audited the read (a crawl of every URL pattern the resolver knows).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands
from django.forms import modelform_factory
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone

from commissioning.models import ConflictDeclaration
from commissioning.selectors.bids import bid_content, bid_file_response
from commissioning.services import bids as services
from core.audit import audit_verify
from core.audit_sealing import audit_detail
from core.models import AuditEntry, Document
from organisations.models import Organisation, Role
from tests import factories
from tests.commissioning import factories as cf
from tests.commissioning.bids_support import open_bids, pdf_upload, provider_with_writer
from tests.socialvalue.conftest import local_framework, local_measures, plan  # noqa: F401

pytestmark = pytest.mark.django_db
MARKER = f"SEALEDMARKER{secrets.token_hex(6).upper()}"
BIDDER = f"BIDDERMARKER{secrets.token_hex(6).upper()}"  # in the bidder's name and email
CONTROL = f"CONTROLMARKER{secrets.token_hex(6).upper()}"  # an organisation that never bids
FILE_NAME = f"annex-{MARKER}.pdf"


@pytest.fixture
def sealed(plan, authority, commissioner, provider, bid_writer):  # noqa: F811
    provider.name = f"Riverside {BIDDER} Care"
    provider.save(update_fields=["name"])
    bid_writer.email = f"writer.{BIDDER.lower()}@example.org"
    bid_writer.save(update_fields=["email"])
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
                          uploaded_file=pdf_upload(FILE_NAME, text=f"Method {MARKER}"))
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
            "commissioner": commissioner, "writer": bid_writer, "provider": provider}


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


# -- (d) sealed means the metadata too -------------------------------------------------------


def _bidder_secrets(sealed) -> list[str]:
    """What tells who bids or what they uploaded: names, the file's name and its hash."""
    document = sealed["bid"].files.get().document
    return [BIDDER, BIDDER.lower(), FILE_NAME, MARKER, document.sha256]


def test_the_audit_table_names_no_bidder_and_no_file_before_opening(sealed):
    writer, provider = sealed["writer"], sealed["provider"]
    rows = list(AuditEntry.objects.values())
    sealed_rows = [row for row in rows if row["actor_label"] == "sealed"]
    assert {row["action"] for row in sealed_rows} >= {
        "bid.started", "bid.answer_saved", "bid.price_saved", "bid.file_added",
        "document.uploaded", "bid.submitted"}
    for row in rows:
        text = json.dumps(row, default=str)
        for secret in _bidder_secrets(sealed):
            assert secret not in text, f"audit entry #{row['sequence']} ({row['action']})"
        assert row["actor_id"] != writer.pk and row["organisation_id"] != provider.pk
    assert audit_verify().ok  # sealed entries verify without any key


def test_after_opening_the_sealed_detail_is_readable_and_never_names_a_file(sealed):
    tender, writer = sealed["tender"], sealed["writer"]
    entries = list(AuditEntry.objects.filter(actor_label="sealed"))
    assert all(audit_detail(entry) is None for entry in entries)
    admin = factories.with_totp(factories.member(tender.authority, Role.AUTHORITY_ADMIN))
    open_bids(tender, requested_by=sealed["commissioner"], confirmed_by=admin)
    details = [audit_detail(entry) for entry in entries]
    assert all(detail is not None for detail in details)
    assert {detail["actor_id"] for detail in details} == {writer.pk}
    assert {detail["organisation_id"] for detail in details if detail["organisation_id"]} == {
        sealed["provider"].pk}
    assert all(FILE_NAME not in json.dumps(detail) for detail in details)
    assert audit_verify().ok
    client = Client()
    client.force_login(sealed["superuser"])
    entry = next(entry for entry in entries if entry.action == "bid.submitted")
    page = client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).content.decode()
    assert "(unsealed)" in page and writer.email in page and FILE_NAME not in page


def _admin_audit_pages() -> list[tuple[str, str]]:
    """(page, search term) for the audit log's admin: the list, searches, filters, each entry."""
    listing = reverse("admin:core_auditentry_changelist")
    pages = [(listing, ""), (f"{listing}?action=bid.file_added", ""),
             (f"{listing}?action=document.uploaded", "")]
    pages += [(f"{listing}?q={term}", term) for term in (BIDDER, "annex", "sealed", "Uploaded")]
    return pages + [(reverse("admin:core_auditentry_change", args=[pk]), "")
                    for pk in AuditEntry.objects.values_list("pk", flat=True)]


def test_the_admin_audit_pages_show_a_platform_admin_neither_content_nor_bidder(sealed):
    client = Client()
    client.force_login(sealed["superuser"])
    secrets_ = [*_bidder_secrets(sealed), sealed["writer"].email]
    for page, term in _admin_audit_pages():
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        if term:  # the search box repeats what was searched for; the results must not
            assert "0 results" in body or term not in (BIDDER, "annex"), page
            body = body.replace(f'value="{term}"', "").replace(f"q={term}", "")
        for secret in secrets_:
            assert secret not in body, f"{page} shows {secret}"
    listing = client.get(f"{reverse('admin:core_auditentry_changelist')}?action=bid.file_added")
    assert b"bid.file_added" in listing.content and b"Sealed" in listing.content
    entry = AuditEntry.objects.filter(action="bid.file_added").get()
    detail = client.get(reverse("admin:core_auditentry_change", args=[entry.pk]))
    assert b"Sealed until the opening" in detail.content


def test_the_organisation_admin_offers_no_stored_document(sealed):
    client = Client()
    client.force_login(sealed["superuser"])
    page = client.get(reverse("admin:organisations_organisation_change",
                              args=[sealed["provider"].pk]))
    assert page.status_code == 200
    assert b'name="governing_document"' not in page.content
    assert FILE_NAME.encode() not in page.content
    form = modelform_factory(Organisation, fields=["governing_document"])()
    assert Document.objects.filter(encrypted=True).exists()
    assert not form.fields["governing_document"].queryset.filter(encrypted=True).exists()


def test_no_page_tells_staff_or_the_platform_admin_who_bids_before_opening(sealed):
    """Authority staff and platform admins learn the number of bids, never who made them.

    Directories (the admin's users and organisations, an organisation dropdown) list every
    organisation, bidding or not, and an organisation's own page shows it: so a control
    organisation that never bids is planted next to the bidder. A page tells who bids when it
    shows the bidder but not the control, unless it is a page about the bidder itself (the same
    page for the control, its id in place of the bidder's, shows the control).
    """
    control = factories.OrganisationFactory(name=f"Hillside {CONTROL} Trust")
    control_writer = factories.member(control, Role.BID_WRITER)
    control_writer.email = f"writer.{CONTROL.lower()}@example.org"
    control_writer.save(update_fields=["email"])
    swaps = [(str(sealed["provider"].pk), str(control.pk)),
             (str(sealed["writer"].pk), str(control_writer.pk))]
    paths = _all_paths(sealed)
    seen = 0
    for viewer in (sealed["commissioner"], sealed["evaluator"], sealed["superuser"]):
        client = Client(raise_request_exception=False)
        client.force_login(viewer)
        for path in paths:
            response = client.get(path)
            seen += response.status_code == 200
            body = _body(response)
            for secret in (FILE_NAME, sealed["bid"].files.get().document.sha256):
                assert secret.encode() not in body, f"{path} shows {secret} to {viewer}"
            if not _names(body, BIDDER) or _names(body, CONTROL):
                continue
            same_pages_for_control = {"/".join(new if part == old else part
                                               for part in path.split("/"))
                                      for old, new in swaps} - {path}
            assert any(_names(_body(client.get(page)), CONTROL)
                       for page in same_pages_for_control), f"{path} tells {viewer} who bids"
    assert seen > 20


def _names(body: bytes, marker: str) -> bool:
    return marker.encode() in body or marker.lower().encode() in body


def _all_paths(sealed) -> list[str]:
    bid = sealed["bid"]
    ids = sorted({bid.pk, sealed["tender"].pk, *bid.files.values_list("pk", flat=True),
                  *bid.files.values_list("document_id", flat=True),
                  *bid.receipts.values_list("pk", flat=True), 1, 2})
    values = {"ids": ids, "text": sealed["tender"].ocid or "x"}
    return sorted(path for path in set(_candidate_paths(values)) if "logout" not in path)


def _crawl(viewer, paths):
    client = Client(raise_request_exception=False)
    if viewer is not None:
        client.force_login(viewer)
    for path in paths:
        yield path, client.get(path)


# -- (e) after opening: every page that shows bid content audits the read -----------------------


PRICES = {"first": ("87654.32", "87,654.32"), "second": ("76543.21", "76,543.21")}


def _bid_through_the_portal(tender, key: str, writer, organisation):
    marker = f"{MARKER}{key.upper()}"
    bid = services.bid_start(tender=tender, organisation=organisation, actor=writer)
    for question in tender.questions.all():
        services.bid_answer_save(bid=bid, question=question, actor=writer,
                                 text=f"Our approach {marker}ANSWER")
    services.bid_price_save(bid=bid, total=Decimal(PRICES[key][0]), actor=writer,
                            breakdown=[{"item": f"Staff {marker}ITEM",
                                        "amount": Decimal(PRICES[key][0])}])
    for slot in tender.document_slots.all():
        services.bid_file_add(bid=bid, slot=slot, actor=writer, uploaded_file=pdf_upload(
            f"annex-{marker}NAME.pdf", text=f"Method {marker}FILE"))
    services.bid_submit(bid=bid, actor=writer,
                        declarations={"accurate": True, "no_collusion": True})
    return bid, [f"{marker}ANSWER", f"{marker}ITEM", f"{marker}NAME", f"{marker}FILE",
                 *PRICES[key]]


@pytest.fixture
def awarded(authority, commissioner):
    """Two bids made through the portal, opened by two people, scored, moderated and awarded."""
    from commissioning.models import Bid, Tender
    from commissioning.services.awards import award_approve, award_propose
    from commissioning.services.evaluation import evaluator_add, moderation_save, scores_save
    from tests.commissioning import evaluation_support as support

    tender = cf.TenderFactory(authority=authority, created_by=commissioner)
    cf.TenderCpvFactory(tender=tender)
    cf.TenderQuestionFactory(tender=tender, number=1)
    cf.DocumentSlotFactory(tender=tender)
    criteria = support.standard_criteria(tender)
    evaluator = support.staff(authority, Role.EVALUATOR)
    evaluator_add(tender=tender, actor=commissioner, user=evaluator, is_moderator=True)
    bids, markers, writers = {}, {}, {}
    for key in PRICES:
        organisation = factories.OrganisationFactory(name=f"Provider {key}")
        writers[key] = factories.member(organisation, Role.BID_WRITER)
        bids[key], markers[key] = _bid_through_the_portal(tender, key, writers[key],
                                                          organisation)
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    tender.refresh_from_db()
    approver = support.staff(authority, Role.AUTHORITY_ADMIN)
    support.open_and_start(tender, commissioner, approver)
    for person in (evaluator, commissioner, approver):
        support.declare(person, tender)
    bids = {key: Bid.objects.get(pk=bid.pk) for key, bid in bids.items()}
    for key, (quality, social) in {"first": (60, 60), "second": (80, 100)}.items():
        marks = support.entries(criteria, quality=quality, social_value=social)
        scores_save(bid=bids[key], actor=evaluator, entries=marks, submit=True)
        moderation_save(bid=bids[key], actor=evaluator, entries=marks)
    award = award_propose(tender=tender, actor=commissioner)
    award_approve(award=award, actor=approver)
    outsider, outsider_writer = provider_with_writer()
    return {"tender": tender, "bids": bids, "markers": markers, "award": award,
            "viewers": {"commissioner": commissioner, "approver": approver,
                        "evaluator": evaluator, "first bidder": writers["first"],
                        "second bidder": writers["second"], "other provider": outsider_writer,
                        "platform admin": factories.with_totp(
                            factories.PlatformAdminFactory(is_superuser=True)),
                        "anonymous": None}}


def _awarded_paths(awarded) -> list[str]:
    ids = {awarded["tender"].pk, awarded["award"].pk, 1}
    for bid in awarded["bids"].values():
        ids |= {bid.pk, *bid.files.values_list("pk", flat=True),
                *bid.receipts.values_list("pk", flat=True)}
    values = {"ids": sorted(ids), "text": awarded["tender"].ocid or "x"}
    return sorted(path for path in set(_candidate_paths(values)) if "logout" not in path)


def _pages_showing_bid_content(awarded, roles: tuple[str, ...]) -> list[tuple[str, str]]:
    """Crawl every URL pattern as each of `roles`: a page showing any bid's answers, prices,
    file names or file contents must have written a bid.content_viewed entry for that bid and
    that person in the same request. New apps' pages are found by the resolver, not listed
    here. Returns (role, path) for every page that showed bid content."""
    paths = _awarded_paths(awarded)
    shown: list[tuple[str, str]] = []
    for role in roles:
        viewer = awarded["viewers"][role]
        for path, response in _crawl(viewer, paths):
            body = _body(response)
            for key, bid in awarded["bids"].items():
                if not any(marker.encode() in body for marker in awarded["markers"][key]):
                    continue
                shown.append((role, path))
                assert viewer is not None, f"{path} shows bid content to anonymous visitors"
                assert AuditEntry.objects.filter(
                    action="bid.content_viewed", actor_id=viewer.pk, object_id=str(bid.pk),
                    sequence__gt=response.audit_baseline).exists(), (
                    f"{path} shows bid #{bid.pk} content to the {role} without an audit entry")
    return shown


# Two classes, so that pytest-xdist (--dist loadscope) crawls as the two halves of the roles on
# a worker each (tests/conftest.py schedules them straight after the fuzz groups).
class TestEveryPageShowingOpenedBidContentAuditsTheRead:
    def test_as_the_authority_and_the_platform_admin(self, awarded):
        shown = _pages_showing_bid_content(
            awarded, ("commissioner", "approver", "evaluator", "platform admin"))
        ranking = reverse("commissioning:ranking", args=[awarded["tender"].pk])
        award = reverse("commissioning:award", args=[awarded["award"].pk])
        assert ("commissioner", ranking) in shown and ("commissioner", award) in shown
        assert not [path for role, path in shown if role == "platform admin"]


class TestEveryPageShowingOpenedBidContentToBiddersAuditsTheRead:
    def test_as_the_bidders_another_provider_and_anonymous(self, awarded):
        shown = _pages_showing_bid_content(
            awarded, ("first bidder", "second bidder", "other provider", "anonymous"))
        assert {role for role, _ in shown} >= {"first bidder", "second bidder"}
        assert not [path for role, path in shown if role == "other provider"]


@pytest.fixture(autouse=True)
def _audit_baseline(monkeypatch):
    """Stamp each test-client response with the audit head before its request ran."""
    original = Client.request

    def request(self, **kwargs):
        baseline = (AuditEntry.objects.order_by("-sequence")
                    .values_list("sequence", flat=True).first() or 0)
        response = original(self, **kwargs)
        response.audit_baseline = baseline
        return response

    monkeypatch.setattr(Client, "request", request)


def test_the_ranking_audits_one_read_per_bid_per_page_view(awarded, client):
    commissioner = awarded["viewers"]["commissioner"]
    client.force_login(commissioner)
    ranking = reverse("commissioning:ranking", args=[awarded["tender"].pk])
    for views in (1, 2):
        response = client.get(ranking)
        assert PRICES["first"][1].encode() in response.content
        entries = AuditEntry.objects.filter(action="bid.content_viewed", actor_id=commissioner.pk,
                                            changes__page="ranking")
        assert entries.count() == 2 * views
        assert {e.object_id for e in entries} == {str(b.pk) for b in awarded["bids"].values()}
