"""Benchmark: what sealing the audit detail and auditing opened reads cost.

    .venv/bin/python -m benchmarks.sealed_reads --entries 2000 --bids 50 --views 20

Creates a throwaway database (BENCH_DATABASE_URL, its name ending in "_bench"), migrates it and
measures, on PostgreSQL:
- `audit_record` per entry, plain and sealed with a tender's key (what every bid action before
  the opening now pays);
- the ranking of an opened tender with `--bids` bids, read by the system (`ranking`) and by a
  person (`ranking_for_user`: permission checked, one audit entry per bid per page view);
- `audit_verify` over the resulting chain, sealed entries included (it needs no key).
Prints one JSON line and writes it to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import statistics
import time
from decimal import Decimal

from benchmarks import support


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--bids", type=int, default=50)
    parser.add_argument("--views", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args()
    url = support.database_url()
    support.recreate_database(url)
    try:
        support.setup_django(url)
        result = _run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            support.drop_database(url)
    support.report("sealed_reads", result)


def _run(args) -> dict:
    tender, commissioner = _opened_tender(args.bids)
    plain, sealed = _per_entry_ms(args.entries, seal=_seal(tender))
    system, person, added = _ranking_ms(tender, commissioner, args.views)
    from core.audit import audit_verify

    started = time.perf_counter()
    report = audit_verify()
    return {
        "entries": args.entries, "bids": args.bids, "views": args.views,
        "audit_record_plain_ms": plain, "audit_record_sealed_ms": sealed,
        "ranking_system_ms": system, "ranking_for_user_ms": person,
        "audit_entries_per_ranking_view": added,
        "audit_verify_entries": report.checked, "audit_verify_ok": report.ok,
        "audit_verify_s": round(time.perf_counter() - started, 3),
    }


def _seal(tender):
    """The seal a bid action before the opening gets (built directly: this tender is opened)."""
    from commissioning.sealing import AUDIT_SEAL_KIND, sealer
    from core.audit_sealing import AuditSeal

    return AuditSeal(encrypt=sealer(tender), under=f"{AUDIT_SEAL_KIND}:{tender.pk}")


def _opened_tender(bids: int):
    """An authority, a tender with a price criterion, `bids` sealed bids, a confirmed opening."""
    from django.utils import timezone

    from accounts.models import User
    from commissioning.models import (
        AwardCriterion,
        Bid,
        ConflictDeclaration,
        Opening,
        Tender,
    )
    from commissioning.sealing import seal
    from organisations.models import Membership, Organisation, Role

    authority = Organisation.objects.create(
        kind="authority", name="Bench Council", legal_form="public_body", authority_code="BEN",
        address_line_1="Town Hall", town="Town", postcode="LS1 1UR", size="large",
        verification_status="verified")
    commissioner = User.objects.create_user(email="commissioner@bench.example", password=None)
    Membership.objects.create(user=commissioner, organisation=authority, role=Role.COMMISSIONER)
    now = timezone.now()
    tender = Tender.objects.create(
        authority=authority, created_by=commissioner, title="Bench tender", reference="BENCH-1",
        procedure=Tender.Procedure.OPEN, summary="A tender for the benchmark.",
        estimated_value_ex_vat=Decimal("100000"), estimated_value_inc_vat=Decimal("120000"),
        status=Tender.Status.PUBLISHED, deadline=now, questions_deadline=now)
    AwardCriterion.objects.create(tender=tender, kind=AwardCriterion.Kind.PRICE, name="Price",
                                  weight=Decimal("100"))
    for number in range(bids):
        organisation = Organisation.objects.create(
            kind="provider", name=f"Bench provider {number}", legal_form="cio",
            address_line_1="1 High Street", town="Town", postcode="LS1 1UR", size="small",
            verification_status="verified")
        payload = {"answers": {}, "price": {"total": f"{1000 + number}.00", "breakdown": []},
                   "social_value": [], "declarations": {}}
        Bid.objects.create(tender=tender, organisation=organisation, created_by=commissioner,
                           status=Bid.Status.SUBMITTED, submitted_at=now,
                           sealed_content=seal(tender=tender, payload=payload))
    Opening.objects.create(tender=tender, requested_by=commissioner, requested_at=now,
                           confirmed_by=commissioner, confirmed_at=now)
    Tender.objects.filter(pk=tender.pk).update(status="evaluation")
    ConflictDeclaration.objects.create(tender=tender, evaluator=commissioner, has_conflict=False)
    tender.refresh_from_db()
    return tender, commissioner


def _per_entry_ms(count: int, *, seal) -> tuple[float, float]:
    """Mean ms per entry, plain and sealed, in alternating blocks (the machine's load is shared)."""
    from core.audit import audit_record

    spent = {"plain": 0.0, "sealed": 0.0}
    for block in range(0, count, 100):
        for kind, with_seal in (("plain", None), ("sealed", seal)):
            started = time.perf_counter()
            for number in range(block, min(block + 100, count)):
                audit_record(actor=None, action="bench.step", summary=f"Step {number}",
                             changes={"n": number, "sha256": "a" * 64}, seal=with_seal)
            spent[kind] += time.perf_counter() - started
    return (round(spent["plain"] * 1000 / count, 3), round(spent["sealed"] * 1000 / count, 3))


def _ranking_ms(tender, user, views: int) -> tuple[float, float, int]:
    from commissioning.selectors.evaluation import ranking, ranking_for_user
    from core.models import AuditEntry

    _timed(lambda: ranking(tender=tender), 2)  # warm up
    before = AuditEntry.objects.count()
    system, person = [], []
    for _ in range(views):
        system.append(_timed(lambda: ranking(tender=tender), 1))
        person.append(_timed(lambda: ranking_for_user(tender=tender, user=user), 1))
    added = (AuditEntry.objects.count() - before) // views
    return round(statistics.median(system), 2), round(statistics.median(person), 2), added


def _timed(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


if __name__ == "__main__":
    main()
