"""Benchmark: the 360Giving export and the grants compliance checks at 10,000 and 100,000 grants.

    .venv/bin/python -m benchmarks.grants_scale [--sizes 10000 100000]

Grants are bulk-generated (awards with agreements, two instalments, two monitoring reports, an
annual review and a due diligence check each; a share of them overdue or blocked) into a
throwaway ``*_bench`` database. For each size it reports:

- ``export``: ``manage.py export_360giving`` (JSON, with the data-quality checks) run in a child
  process: seconds and the child's peak RSS. The export streams, so memory should stay flat.
- ``checks``: every ``grants.*`` and GovS 015-related compliance check, run as the registry
  runs them: seconds and findings. Target (issue 8): under 20 s at 100,000 grants, growing no
  faster than linearly.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from benchmarks import support

BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child-export", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = support.database_url()
    if args.child_export:
        return _child_export(url, args.child_export)
    support.recreate_database(url)
    results = {}
    try:
        support.setup_django(url)
        made = 0
        context = _context()
        for size in sorted(args.sizes):
            _generate(context, made, size)
            made = size
            checks = _checks()  # before the export, which marks awards as published
            results[str(size)] = {"export": _export(url), "checks": checks}
    finally:
        support.drop_database(url)
    sizes = sorted(args.sizes)
    if len(sizes) > 1:
        small, large = results[str(sizes[0])], results[str(sizes[-1])]
        results["checks_growth"] = round(large["checks"]["seconds"]
                                         / max(small["checks"]["seconds"], 1e-6), 2)
        results["size_growth"] = round(sizes[-1] / sizes[0], 2)
    support.report("grants_scale", results)


def _context() -> dict:
    from accounts.models import User
    from grants.models import Programme, Round
    from organisations.models import Organisation

    owner = User.objects.create_user("bench@example.org", "bench-password-123", full_name="B")
    authority = Organisation.objects.create(
        kind="authority", name="Bench Council", legal_form="public_body", authority_code="BCH",
        address_line_1="Town Hall", town="Town", postcode="LS1 1UR", size="large",
        verification_status="verified")
    recipients = Organisation.objects.bulk_create([Organisation(
        kind="provider", name=f"Charity {i}", legal_form="cio", charity_number=f"{1100000 + i}",
        org_id=f"GB-CHC-{1100000 + i}", address_line_1="1 High St", town="Leeds",
        postcode="LS6 1AA", size="small", is_vcse=True, verification_status="verified")
        for i in range(2000)])
    programme = Programme.objects.create(
        authority=authority, created_by=owner, title="Bench programme", code="BENCH",
        summary="s", objectives="o", outcomes="o", total_budget=Decimal("10000000000"),
        instruments=["revenue"], senior_officer="SRO", business_case="case",
        ggis_scheme_id="G-1", status="active")
    round_ = Round.objects.create(
        programme=programme, created_by=owner, title="Bench round", summary="s",
        description="d", who_can_apply="w", how_to_apply="h", kind="direct",
        direct_award_justification="bench", budget=Decimal("10000000000"),
        min_amount=Decimal("1"), max_amount=Decimal("100000"), agreement_terms="t",
        status="published")
    return {"owner": owner, "recipients": recipients, "programme": programme,
            "round": round_}


def _generate(context: dict, start: int, end: int) -> None:
    """Awards start..end with their schedule, reports, review and due diligence."""
    from django.db import transaction
    from django.utils import timezone

    from grants.models import (
        Agreement,
        AnnualReview,
        Award,
        DueDiligenceCheck,
        Instalment,
        MonitoringReport,
    )

    today = timezone.localdate()
    now = timezone.now()
    for first in range(start, end, BATCH):
        last = min(first + BATCH, end)
        with transaction.atomic():
            awards = Award.objects.bulk_create([Award(
                round=context["round"], programme=context["programme"],
                recipient=context["recipients"][i % len(context["recipients"])],
                reference=f"BENCH-{i:07d}", title=f"Community project {i}",
                description=f"Weekly sessions for local people, grant {i}.",
                instrument="revenue", from_open_call=False, direct_award_justification="bench",
                amount_requested=Decimal("10000"), amount_awarded=Decimal("10000"),
                amount_scheduled=Decimal("10000"), amount_paid=Decimal("5000"),
                awarded_on=today - timedelta(days=40 + i % 300), planned_start=today,
                planned_end=today + timedelta(days=364), status="live" if i % 10 else "offered",
                decided_by=context["owner"], beneficiary_postcode="LS6 1AA")
                for i in range(first, last)])
            Agreement.objects.bulk_create([Agreement(
                award=a, text="terms", sha256="0" * 64, accepted_at=now) for a in awards])
            Instalment.objects.bulk_create([Instalment(
                award=a, number=n, due_on=today - timedelta(days=n - 1), amount=Decimal("5000"),
                milestone="m", status="paid" if n == 1 else "scheduled",
                paid_amount=Decimal("5000") if n == 1 else 0,
                paid_on=today if n == 1 else None) for a in awards for n in (1, 2)])
            MonitoringReport.objects.bulk_create([MonitoringReport(
                award=a, number=n, period_start=today, period_end=today + timedelta(days=180),
                due_on=today - timedelta(days=1) if (a.pk % 7 == 0 and n == 1)
                else today + timedelta(days=200 * n), is_final=n == 2)
                for a in awards for n in (1, 2)])
            AnnualReview.objects.bulk_create([AnnualReview(
                award=a, year=1, due_on=today - timedelta(days=1) if a.pk % 11 == 0
                else today + timedelta(days=365)) for a in awards])
            DueDiligenceCheck.objects.bulk_create([DueDiligenceCheck(
                award=a, kind="registration", outcome="passed", notes="n",
                checked_by=context["owner"], checked_at=now) for a in awards if a.pk % 13])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _export(url: str) -> dict:
    output = Path(tempfile.mkdtemp()) / "grants.json"
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.grants_scale", "--child-export", str(output)],
        cwd=support.ROOT, capture_output=True, text=True, check=True,
        env={**__import__("os").environ, "BENCH_DATABASE_URL": url})
    seconds = time.perf_counter() - started
    child = json.loads(completed.stdout.strip().splitlines()[-1])
    size = output.stat().st_size
    output.unlink()
    return {"seconds": round(seconds, 2), "command_seconds": child["seconds"],
            "peak_rss_mb": child["peak_rss_mb"], "file_mb": round(size / 2**20, 1),
            "grants": child["grants"]}


def _child_export(url: str, output: str) -> None:
    import os

    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    sys.path.insert(0, str(support.ROOT))
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    from grants.models import Award

    # Publication marks awards once; clear it so every run does the same work.
    Award.objects.update(published_at=None)
    started = time.perf_counter()
    call_command("export_360giving", output=output, stdout=StringIO())
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1),
                      "grants": Award.objects.filter(status__in=["live", "closed"]).count()}))


def _checks() -> dict:
    from django.utils import timezone

    from compliance.registry import all_checks

    started = time.perf_counter()
    findings = {}
    now = timezone.now()
    for check in all_checks():
        if check.id.startswith("grants."):
            findings[check.id] = sum(1 for _ in check.find(now))
    return {"seconds": round(time.perf_counter() - started, 2), "findings": findings}


if __name__ == "__main__":
    main()
