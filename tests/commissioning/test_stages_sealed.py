"""The sealed crawl over a staged procedure: a request to participate, an initial tender in a
negotiation round and a final tender, each with a unique marker in its answer and in the core
supplier information frozen on it. Before each round's opening no page shows them to anyone
outside the supplier; after it, every page that shows them to staff has audited the read. The
pages are found by the resolver (tests/commissioning/test_sealed_guarantees.py's crawl)."""

from __future__ import annotations

import secrets

import pytest
from django.utils import timezone

from commissioning.models import ConflictDeclaration
from core.models import AuditEntry
from organisations.models import Role
from tests import factories
from tests.commissioning import stages_support as support
from tests.commissioning.test_sealed_guarantees import (  # noqa: F401  (the fixture)
    _audit_baseline,
    _body,
    _candidate_paths,
    _crawl,
)

pytestmark = pytest.mark.django_db
MARKER = f"STAGEMARKER{secrets.token_hex(5).upper()}"


def _paths(staged, bids) -> list[str]:
    ids = {staged.tender.pk, staged.procedure.pk, 1,
           *[s.pk for s in staged.procedure.stages.all()],
           *[s.round_id for s in staged.procedure.stages.all()]}
    for bid in bids:
        ids |= {bid.pk, *bid.receipts.values_list("pk", flat=True)}
    values = {"ids": sorted(ids), "text": staged.tender.ocid or "x"}
    return sorted(p for p in set(_candidate_paths(values)) if "logout" not in p)


@pytest.fixture
def world(authority, commissioner, platform_admin):
    staged = support.designed(authority, commissioner)
    organisation, writer = support.supplier()
    support.keep_information(organisation, writer, legal_name=f"{MARKER}INFO Ltd")
    request = support.submit(staged.participation.round, organisation, writer,
                             answer=f"Our experience {MARKER}REQUEST", price=False)
    evaluator = factories.with_totp(factories.member(authority, Role.EVALUATOR))
    viewers = {"commissioner": commissioner, "colleague": staged.colleague,
               "evaluator": evaluator, "platform admin": platform_admin, "anonymous": None,
               "other supplier": support.supplier()[1]}
    return {"staged": staged, "request": request, "viewers": viewers,
            "supplier": (organisation, writer)}


def _no_marker_anywhere(world, bids, markers, roles):
    seen = 0
    for role in roles:
        viewer = world["viewers"][role]
        for path, response in _crawl(viewer, _paths(world["staged"], bids)):
            seen += response.status_code == 200
            body = _body(response)
            for marker in markers:
                assert marker.encode() not in body, f"{path} shows {marker} to the {role}"
    return seen


def _every_read_audited(world, bids, markers, roles):
    shown = []
    for role in roles:
        viewer = world["viewers"][role]
        for path, response in _crawl(viewer, _paths(world["staged"], bids)):
            body = _body(response)
            if not any(marker.encode() in body for marker in markers):
                continue
            shown.append((role, path))
            assert viewer is not None, f"{path} shows sealed content to anonymous visitors"
            assert AuditEntry.objects.filter(
                action="bid.content_viewed", actor_id=viewer.pk,
                object_id__in=[str(b.pk) for b in bids],
                sequence__gt=response.audit_baseline).exists(), (
                f"{path} shows sealed stage content to the {role} without an audit entry")
    return shown


def test_stage_submissions_are_sealed_until_their_opening_and_audited_after(world):
    staged, request = world["staged"], world["request"]
    markers = [f"{MARKER}REQUEST", f"{MARKER}INFO"]
    assert _no_marker_anywhere(world, [request], markers,
                               ("commissioner", "platform admin", "anonymous")) > 10

    support.open_round(staged, staged.participation.round)
    for person in (world["viewers"]["commissioner"], world["viewers"]["evaluator"]):
        ConflictDeclaration.objects.create(tender=staged.participation.round,
                                           evaluator=person, has_conflict=False)
    from commissioning.services.evaluation import evaluator_add

    evaluator_add(tender=staged.participation.round, actor=staged.commissioner,
                  user=world["viewers"]["evaluator"])
    shown = _every_read_audited(world, [request], markers,
                                ("commissioner", "platform admin", "other supplier"))
    assert ("commissioner", f"/evaluation/bids/{request.pk}/supplier-information/") in shown
    assert not [p for role, p in shown if role in ("other supplier", "platform admin")]


def test_a_negotiation_round_and_final_tenders_are_sealed_until_their_opening(world):
    staged = support.with_requests(world["staged"], count=2)
    organisation, writer = world["supplier"]
    staged.requests.insert(0, world["request"])
    support.shortlisted(staged)
    stage = support.negotiation(staged)
    initial = support.submit(stage.round, organisation, writer, answer=f"{MARKER}ROUND offer")
    final = support.submit(staged.tender, organisation, writer, answer=f"{MARKER}FINAL offer")
    assert initial.submitted_at <= timezone.now()
    assert _no_marker_anywhere(world, [initial, final], [f"{MARKER}ROUND", f"{MARKER}FINAL"],
                               ("commissioner", "platform admin")) > 10
