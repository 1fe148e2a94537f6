"""Benchmark: every /reports/ report over 1,000,000 award rows, against hand-written SQL.

    .venv/bin/python -m benchmarks.reports [--awards 1000000] [--repeat 3] [--keep]

Generates, in SQL (generate_series), 20 authorities and 5,000 suppliers and about 206,000
tenders with five bids each (framework tenders: each of the five submitted bids of an awarded
tender is awarded, one in ten of those awards cancelled; 2% of tenders still open, 1% drafts),
so 1,000,000 awards come with about 1,030,000 bids. Then, for each report, times what the
report page asks the database for (``reports.presenters.REPORTS[slug].build``: the report's
selectors and their Python post-processing, page 1 of a paged report) against the SQL a
person would write for the same answer, for every authority (a platform admin) and for one
authority (its staff); the best of ``--repeat`` runs of each. Targets (issue 7, item 7):
each report under 2 s and within 2x of its SQL. ``reference_sql_seconds`` times a fixed
amount of database work in the same run, to tell a slow query from a busy machine.
"""

from __future__ import annotations

import argparse
import os
import time

from benchmarks import support

AUTHORITIES, SUPPLIERS, BIDS_PER_TENDER = 20, 5000, 5

SQL = {
    "pipeline": ["""
        SELECT status, procedure, count(*), sum(estimated_value_ex_vat)
        FROM commissioning_tender t {where_tender}
        GROUP BY status, procedure"""],
    "bids": ["""
        SELECT count(*) FROM commissioning_tender t
        WHERE t.status <> 'draft' AND t.deadline <= now() {and_tender}""", """
        SELECT t.id, t.reference, t.title, t.deadline, a.name,
               count(b.id), count(b.id) FILTER (WHERE o.size <> 'large'),
               count(b.id) FILTER (WHERE o.is_vcse)
        FROM (SELECT * FROM commissioning_tender t
              WHERE t.status <> 'draft' AND t.deadline <= now() {and_tender}
              ORDER BY t.deadline DESC, t.id DESC LIMIT 25) t
        JOIN organisations_organisation a ON a.id = t.authority_id
        LEFT JOIN commissioning_bid b ON b.tender_id = t.id AND b.status = 'submitted'
        LEFT JOIN organisations_organisation o ON o.id = b.organisation_id
        GROUP BY t.id, t.reference, t.title, t.deadline, a.name
        ORDER BY t.deadline DESC, t.id DESC"""],
    "suppliers": ["""
        SELECT t.authority_id, a.name, count(*),
               count(*) FILTER (WHERE o.size <> 'large'), count(*) FILTER (WHERE o.is_vcse),
               count(*) FILTER (WHERE o.legal_form = 'mutual')
        FROM commissioning_bid b
        JOIN commissioning_tender t ON t.id = b.tender_id
        JOIN organisations_organisation a ON a.id = t.authority_id
        JOIN organisations_organisation o ON o.id = b.organisation_id
        WHERE b.status = 'submitted' AND t.deadline <= now() {and_tender}
        GROUP BY t.authority_id, a.name""", """
        SELECT w.authority_id, a.name, count(*), sum(w.value),
               count(*) FILTER (WHERE o.size <> 'large'),
               sum(w.value) FILTER (WHERE o.size <> 'large'),
               count(*) FILTER (WHERE o.is_vcse), sum(w.value) FILTER (WHERE o.is_vcse),
               count(*) FILTER (WHERE o.legal_form = 'mutual'),
               sum(w.value) FILTER (WHERE o.legal_form = 'mutual')
        FROM commissioning_award w
        JOIN organisations_organisation a ON a.id = w.authority_id
        JOIN organisations_organisation o ON o.id = w.supplier_id
        WHERE w.notice_published_at IS NOT NULL AND w.tender_published_at IS NOT NULL
          AND w.status <> 'cancelled' {and_award}
        GROUP BY w.authority_id, a.name"""],
    "time-to-award": ["""
        SELECT a.id, a.name, count(*), avg(d.days),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY d.days)
        FROM commissioning_award w
        JOIN organisations_organisation a ON a.id = w.authority_id
        CROSS JOIN LATERAL (SELECT extract(epoch FROM w.notice_published_at
                                                   - w.tender_published_at)
                            / 86400.0 AS days) d
        WHERE w.notice_published_at IS NOT NULL AND w.tender_published_at IS NOT NULL
          AND w.status <> 'cancelled' {and_award}
        GROUP BY GROUPING SETS ((a.id, a.name), ())"""],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--awards", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="leave the database afterwards")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database a --keep run left, without generating")
    args = parser.parse_args()
    url = support.database_url()
    if not args.reuse:
        support.recreate_database(url)
    try:
        support.setup_django(url)
        started = time.perf_counter()
        counts = _existing() if args.reuse else _generate(args.awards)
        generate_seconds = round(time.perf_counter() - started, 1)
        results = _measure(args.repeat)
        machine = _best(args.repeat, _reference_workload)
    finally:
        if not args.keep:
            support.drop_database(url)
    support.report("reports", {
        **counts, "generate_seconds": generate_seconds, "repeat": args.repeat,
        "reports": results, "load_average": [round(x, 2) for x in os.getloadavg()],
        "reference_sql_seconds": round(machine, 3),
        "all_under_2s": all(r["report_seconds"] < 2 for r in results),
        "all_within_2x_of_sql": all(r["ratio"] <= 2 for r in results),
    })


def _existing() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM commissioning_award), "
                       "(SELECT count(*) FROM commissioning_bid), "
                       "(SELECT count(*) FROM commissioning_tender)")
        awards, bids, tenders = cursor.fetchone()
    return {"awards": awards, "bids": bids, "tenders": tenders, "authorities": AUTHORITIES,
            "suppliers": SUPPLIERS}


def _generate(awards: int) -> dict:
    from django.db import connection

    from accounts.models import User
    from organisations.models import Organisation

    owner = User.objects.create_user("bench@example.org", "bench-password-123", full_name="B")
    Organisation.objects.bulk_create([Organisation(
        kind="authority", name=f"Council {i:02d}", legal_form="public_body",
        authority_code=f"R{i:02d}", address_line_1="Town Hall", town="Town", postcode="LS1 1UR",
        size="large", verification_status="verified") for i in range(AUTHORITIES)])
    forms = ["charity", "cio", "cic", "mutual", "sme", "sme", "large", "society"]
    sizes = ["micro", "small", "medium", "large"]
    Organisation.objects.bulk_create([Organisation(
        kind="provider", name=f"Supplier {i:04d}", legal_form=forms[i % len(forms)],
        size=sizes[(i // 3) % len(sizes)], is_vcse=forms[i % len(forms)] in {
            "charity", "cio", "cic", "society"}, address_line_1="1 High Street", town="Town",
        postcode="LS1 1UR", verification_status="verified") for i in range(SUPPLIERS)],
        batch_size=1000)
    tenders = int(awards / BIDS_PER_TENDER / 0.97) + 1  # 97% of tenders reach an award
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM organisations_organisation WHERE kind = 'authority'")
        first_authority = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM organisations_organisation WHERE kind = 'provider'")
        first_supplier = cursor.fetchone()[0]
        params = {"owner": owner.pk, "authority": first_authority, "supplier": first_supplier,
                  "authorities": AUTHORITIES, "suppliers": SUPPLIERS, "tenders": tenders,
                  "per": BIDS_PER_TENDER, "awards": awards}
        cursor.execute(_TENDERS, params)
        cursor.execute(_BIDS, params)
        cursor.execute(_AWARDS, params)
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done by now
        cursor.execute("SELECT count(*) FROM commissioning_award")
        award_rows = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM commissioning_bid")
        bid_rows = cursor.fetchone()[0]
    return {"awards": award_rows, "bids": bid_rows, "tenders": tenders,
            "authorities": AUTHORITIES, "suppliers": SUPPLIERS}


# Every fourth year back from now, tenders spread over three years; 2% still open, 1% drafts.
_TENDERS = """
INSERT INTO commissioning_tender (
    created_at, updated_at, reference, title, summary, description, procedure, contract_type,
    is_light_touch, is_reserved_for_mutuals, estimated_value_ex_vat, estimated_value_inc_vat,
    lot_limit_rule, suitable_for_sme, suitable_for_vcse, short_period_reason, price_formula,
    tie_break_rule, status, cancellation_reason, ocid, authority_id, created_by_id,
    published_at, deadline, questions_deadline, max_term_months, delivery_region,
    delivery_location, contact_name, contact_email)
SELECT g.created, g.created, 'R-' || n, 'Service ' || n, 'A service.', '',
       (ARRAY['open', 'competitive_flexible', 'below_threshold'])[1 + n %% 3], 'services',
       false, n %% 50 = 0, 10000 + (n * 7919) %% 2000000, (10000 + (n * 7919) %% 2000000) * 1.2,
       '', n %% 2 = 0, n %% 3 = 0, '', 'lowest', '',
       CASE WHEN n %% 100 = 0 THEN 'draft' WHEN n %% 50 = 1 THEN 'published'
            WHEN n %% 10 = 2 THEN 'standstill' ELSE 'contracted' END,
       '', 'ocds-zz9zz9-r' || n, %(authority)s + n %% %(authorities)s, %(owner)s,
       CASE WHEN n %% 100 = 0 THEN NULL ELSE g.created + interval '2 days' END,
       CASE WHEN n %% 50 = 1 THEN now() + interval '20 days'
            ELSE g.created + interval '32 days' END,
       g.created + interval '20 days', 36, 'UKE', '', 'Procurement team',
       'procurement@example.org'
FROM generate_series(1, %(tenders)s) AS n
CROSS JOIN LATERAL (SELECT now() - interval '3 years' * (n::float / %(tenders)s)
                    - interval '40 days' AS created) g
"""

_BIDS = """
INSERT INTO commissioning_bid (created_at, updated_at, status, sealed_content,
    disregarded_reason, created_by_id, organisation_id, tender_id, submitted_at)
SELECT t.deadline - interval '3 days', t.deadline - interval '3 days',
       CASE WHEN t.status = 'draft' THEN 'draft' ELSE 'submitted' END, ''::bytea, '',
       %(owner)s, %(supplier)s + (t.id * 7 + k) %% %(suppliers)s, t.id,
       CASE WHEN t.status = 'draft' THEN NULL ELSE t.deadline - interval '3 days' END
FROM commissioning_tender t CROSS JOIN generate_series(0, %(per)s - 1) AS k
"""

_AWARDS = """
INSERT INTO commissioning_award (created_at, updated_at, status, value, standstill_required,
    proposed_by_id, bid_id, tender_id, notice_published_at, authority_id, supplier_id,
    tender_published_at)
SELECT b.submitted_at + interval '20 days', b.submitted_at + interval '20 days',
       CASE WHEN b.id %% 10 = 0 THEN 'cancelled' WHEN t.status = 'standstill'
            THEN 'standstill' ELSE 'contracted' END,
       t.estimated_value_ex_vat / %(per)s, true, %(owner)s, b.id, t.id,
       t.deadline + interval '1 day' * (5 + b.id %% 40), t.authority_id, b.organisation_id,
       t.published_at
FROM commissioning_bid b JOIN commissioning_tender t ON t.id = b.tender_id
WHERE t.status IN ('contracted', 'standstill')
ORDER BY b.id LIMIT %(awards)s
"""


def _measure(repeat: int) -> list[dict]:
    from django.db import connection

    from commissioning.selectors.reports import ReportScope
    from reports.presenters import REPORTS

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM organisations_organisation WHERE kind = 'authority'")
        one = cursor.fetchone()[0]
    results = []
    for scope_name, scope, where in (
            ("every authority", ReportScope(), ""),
            ("one authority", ReportScope(authority_ids=[one]), f"t.authority_id = {int(one)}")):
        for slug, statements in SQL.items():
            report = REPORTS[slug]
            orm = _best(repeat, lambda r=report, s=scope: r.build(scope=s, page=None))
            sql = _best(repeat, lambda q=statements, w=where: _run_sql(q, w))
            results.append({"report": slug, "scope": scope_name,
                            "report_seconds": round(orm, 3), "sql_seconds": round(sql, 3),
                            "ratio": round(orm / sql, 2) if sql else None})
    return results


def _reference_workload() -> None:
    """A fixed amount of database work (sorting three million numbers), so that runs on
    machines of different speed, or more or less busy, can be compared."""
    from django.db import connection

    from commissioning.selectors.reports import analytical_session

    with analytical_session(), connection.cursor() as cursor:
        cursor.execute("SELECT percentile_cont(0.5) WITHIN GROUP ("
                       "ORDER BY (i::bigint * 7919) % 1000003) FROM generate_series(1, 3000000) i")


def _run_sql(statements: list[str], where: str) -> None:
    """The hand-written SQL, with the same session settings the report selectors use."""
    from django.db import connection

    from commissioning.selectors.reports import analytical_session

    with analytical_session(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.format(
                where_tender=f"WHERE {where}" if where else "",
                and_tender=f"AND {where}" if where else "",
                and_award=f"AND {where.replace('t.', 'w.')}" if where else ""))
            cursor.fetchall()


def _best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


if __name__ == "__main__":
    main()
