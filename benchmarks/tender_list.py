"""Benchmark: the public tender list with 10,000 tenders against gunicorn and PostgreSQL.

    .venv/bin/python -m benchmarks.tender_list [--tenders 10000] [--seconds 20] [--concurrency 8]

Reports requests per second and p50/p95 latency for /tenders/ (first page and a filtered page)
and, in the same run, for a trivial Django view through the same middleware; the ratio says how
much the page itself costs. Target (perf_reliability.md, Implications 2): >= 100 req/s and
p95 <= 300 ms for list pages.
"""

from __future__ import annotations

import argparse
import random
from datetime import timedelta
from decimal import Decimal

from benchmarks import support

WORDS = ("community", "care", "youth", "housing", "advice", "transport", "meals", "wellbeing",
         "employment", "skills", "library", "parks", "recovery", "carers", "outreach")
CPVS = ("85310000-5", "85311000-2", "85320000-8", "80500000-9", "98000000-3", "55520000-1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenders", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    url = support.database_url()
    support.recreate_database(url)
    try:
        support.setup_django(url)
        _generate(args.tenders)
        server = support.start_gunicorn(url)
        try:
            result = _measure(server.port, args)
        finally:
            server.stop()
    finally:
        support.drop_database(url)
    support.report("tender_list", {"tenders": args.tenders, **result})


def _generate(count: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from commissioning.models import Tender, TenderCpv
    from organisations.models import Organisation

    rng = random.Random(7)
    owner = User.objects.create_user("bench@example.org", "bench-password-123", full_name="B")
    authorities = [Organisation.objects.create(
        kind="authority", name=f"Council {i}", legal_form="public_body",
        authority_code="B" + chr(65 + i // 26) + chr(65 + i % 26),
        address_line_1="Town Hall", town="Town", postcode="LS1 1UR", size="large",
        verification_status="verified") for i in range(20)]
    now = timezone.now()
    with transaction.atomic():
        tenders = Tender.objects.bulk_create([
            _tender(Tender, i, rng, rng.choice(authorities), owner, now) for i in range(count)
        ], batch_size=2000)
        TenderCpv.objects.bulk_create([
            TenderCpv(tender=t, code=rng.choice(CPVS), is_main=True) for t in tenders
        ], batch_size=5000)


def _tender(model, i, rng, authority, owner, now):
    words = " ".join(rng.choice(WORDS) for _ in range(3))
    value = Decimal(rng.randrange(10_000, 2_000_000))
    return model(
        authority=authority, reference=f"BENCH-{i:05d}", title=f"{words.title()} service {i}",
        summary=f"A {words} service for residents, delivered with local partners.",
        description="Longer description " * 20, procedure=rng.choice(
            ["open", "competitive_flexible", "below_threshold"]),
        estimated_value_ex_vat=value, estimated_value_inc_vat=value * Decimal("1.2"),
        above_threshold=value > 200_000, suitable_for_vcse=rng.random() < 0.5,
        suitable_for_sme=rng.random() < 0.6, status="published",
        published_at=now - timedelta(days=rng.randrange(1, 60)),
        deadline=now + timedelta(days=rng.randrange(-30, 60)), created_by=owner,
        ocid=f"ocds-zz9zz9-{i}",
    )


def _measure(port: int, args) -> dict:
    pages = {"trivial": "/bench/trivial/", "tender_list": "/tenders/",
             "tender_list_filtered": "/tenders/?q=care&suitable=vcse&page=3"}
    for path in pages.values():  # warm up every worker
        support.hammer(port, path, concurrency=args.concurrency, seconds=2)
    results = {name: support.hammer(port, path, concurrency=args.concurrency,
                                    seconds=args.seconds).summary()
               for name, path in pages.items()}
    trivial = results["trivial"]["rps"] or 1
    return {
        **results, "concurrency": args.concurrency, "seconds_per_page": args.seconds,
        "list_to_trivial_rps_ratio": round(results["tender_list"]["rps"] / trivial, 3),
    }


if __name__ == "__main__":
    main()
