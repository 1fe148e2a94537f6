"""Benchmark: the public tender list with 10,000 tenders against gunicorn and PostgreSQL.

    .venv/bin/python -m benchmarks.tender_list [--tenders 10000] [--seconds 20] [--concurrency 16]

Reports requests per second and p50/p95 latency, all in the same run, for:

- ``trivial``: a Django view returning "ok" through the same middleware (the ceiling);
- ``tender_list``: /tenders/, first page; ``tender_list_filtered``: a search, a checkbox and
  page 3; ``tender_list_htmx``: the same as an htmx request (the fragment alone);
- ``tender_list_uncached``: a different page of results on every request, so nearly every one
  is rendered from the database (what a change to the list costs until pages are warm again);
- ``admin_changelist_search``: Django admin's changelist over the same tenders with a search
  term, signed in as a superuser (the second reference).

Targets (issue 7, item 6): list/trivial >= 0.35 at 16 clients, p95 < 150 ms, and faster than the
admin changelist with a search term.
"""

from __future__ import annotations

import argparse
import functools
import os
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
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=4,
                        help="interleaved rounds per page (seconds are split between them)")
    args = parser.parse_args()
    url = support.database_url()
    support.recreate_database(url)
    try:
        support.setup_django(url)
        _generate(args.tenders)
        cookie = _admin_session()
        server = support.start_gunicorn(url)
        try:
            result = _measure(server.port, args, cookie)
        finally:
            server.stop()
    finally:
        support.drop_database(url)
    support.report("tender_list", {"tenders": args.tenders, **result})


def _generate(count: int) -> None:
    from django.db import connection, transaction
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
    with connection.cursor() as cursor:  # what autovacuum would have done by now
        cursor.execute("VACUUM ANALYZE")


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


def _admin_session() -> str:
    """A signed-in superuser with two-factor authentication set up, as a session cookie."""
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    admin = User.objects.create_superuser("bench-admin@example.org", "bench-password-123",
                                          full_name="Bench Admin")
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"})
    session = SessionStore()
    session.update({SESSION_KEY: str(admin.pk), HASH_SESSION_KEY: admin.get_session_auth_hash(),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"})
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _measure(port: int, args, cookie: str) -> dict:
    rng = random.Random(11)
    pages = {
        "trivial": ("/bench/trivial/", None),
        "tender_list": ("/tenders/", None),
        "tender_list_filtered": ("/tenders/?q=care&suitable=vcse&page=3", None),
        "tender_list_htmx": ("/tenders/?q=care&suitable=vcse&page=3", {"HX-Request": "true"}),
        "tender_list_uncached": (lambda: f"/tenders/?page={rng.randrange(1, args.tenders // 20)}",
                                 None),
        "admin_changelist_search": ("/bench/admin/commissioning/tender/?q=care",
                                    {"Cookie": cookie}),
    }
    status, _ = support.request(port, "GET", pages["admin_changelist_search"][0],
                                headers={"Cookie": cookie})
    if status != 200:
        raise SystemExit(f"The admin changelist answered {status}, not 200.")
    hammer = functools.partial(support.hammer, port, concurrency=args.concurrency)
    for path, headers in pages.values():  # warm up every worker
        hammer(path, seconds=1, headers=headers)
    # Interleaved rounds, so that other work on a shared machine weighs on every page alike.
    totals = {name: support.LoadResult() for name in pages}
    for _ in range(args.rounds):
        for name, (path, headers) in pages.items():
            totals[name].add(hammer(path, seconds=args.seconds / args.rounds, headers=headers))
    results = {name: total.summary() for name, total in totals.items()}
    trivial = results["trivial"]["rps"] or 1
    admin_rps = results["admin_changelist_search"]["rps"] or 1
    return {
        **results, "concurrency": args.concurrency, "seconds_per_page": args.seconds,
        "rounds": args.rounds,
        "list_to_trivial_rps_ratio": round(results["tender_list"]["rps"] / trivial, 3),
        "filtered_to_trivial_rps_ratio": round(
            results["tender_list_filtered"]["rps"] / trivial, 3),
        "list_to_admin_search_rps_ratio": round(results["tender_list"]["rps"] / admin_rps, 2),
        "uncached_to_admin_search_rps_ratio": round(
            results["tender_list_uncached"]["rps"] / admin_rps, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    main()
