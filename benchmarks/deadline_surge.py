"""Benchmark: a deadline surge of bidders submitting bids with documents, against gunicorn.

    .venv/bin/python -m benchmarks.deadline_surge [--bidders 300] [--window 90] [--late 5]

The final 15 minutes before a deadline are compressed into `--window` seconds. Each bidder's
draft (answer and price) is prepared beforehand through the services, as it would be over the
preceding days; in the window every bidder uploads its method statement (a ~200 KB PDF) and
submits, with arrivals crowding towards the deadline. A few more bidders arrive after the
deadline and must be refused. Afterwards the database is checked: no submission lost or
duplicated, every receipt a bidder was shown exists (it was issued after commit), every receipt
has its email queued in the outbox, late bids refused. Reports p50/p95 of upload and submit.
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import secrets
import threading
import time
from datetime import timedelta
from decimal import Decimal

from benchmarks import support

RECEIPT = re.compile(rb"RCPT-[A-Za-z0-9-]+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bidders", type=int, default=300)
    parser.add_argument("--window", type=float, default=90.0)
    parser.add_argument("--late", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=40)
    args = parser.parse_args()
    url = support.database_url()
    support.recreate_database(url)
    try:
        support.setup_django(url)
        plan = _prepare(args)
        server = support.start_gunicorn(url, workers=3, threads=8)
        try:
            outcome = _surge(server.port, plan, args)
        finally:
            server.stop()
        result = _verify(plan, outcome, args)
    finally:
        support.drop_database(url)
    support.report("deadline_surge", result)


def _prepare(args) -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from accounts.models import User
    from commissioning.models import DocumentSlot, Tender, TenderQuestion
    from commissioning.services import bids as services
    from organisations.models import Membership, Organisation

    owner = User.objects.create_user("commissioner@bench.example.org", "x" * 16, full_name="C")
    authority = Organisation.objects.create(
        kind="authority", name="Bench Council", legal_form="public_body", authority_code="BEN",
        address_line_1="Town Hall", town="Town", postcode="LS1 1UR", size="large",
        verification_status="verified")
    # The deadline is the end of the compressed window, plus the time preparation takes.
    tender = Tender.objects.create(
        authority=authority, reference="SURGE-1", title="Community support services",
        summary="Bench", procedure="open", estimated_value_ex_vat=Decimal("500000"),
        estimated_value_inc_vat=Decimal("600000"), status="published", created_by=owner,
        published_at=timezone.now(), deadline=timezone.now() + timedelta(hours=1))
    question = TenderQuestion.objects.create(tender=tender, number=1, text="How?")
    slot = DocumentSlot.objects.create(tender=tender, name="Method statement", required=True)
    bidders = []
    for i in range(args.bidders + args.late):
        user = User.objects.create_user(f"bidder{i}@bench.example.org", "x" * 16,
                                        full_name=f"Bidder {i}")
        org = Organisation.objects.create(
            kind="provider", name=f"Provider {i}", legal_form="cio",
            charity_number=f"{2000000 + i}",
            address_line_1="1 Road", town="Town", postcode="LS1 1UR", size="small",
            is_vcse=True, verification_status="verified")
        Membership.objects.create(user=user, organisation=org, role="provider_admin")
        bid = services.bid_start(tender=tender, organisation=org, actor=user)
        services.bid_answer_save(bid=bid, question=question, text=f"Our approach {i}.", actor=user)
        services.bid_price_save(bid=bid, total=Decimal("450000"),
                                breakdown=[{"item": "Delivery", "amount": Decimal("450000")}],
                                actor=user)
        session = SessionStore()
        session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                        BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"})
        session.create()
        bidders.append({"bid": bid.pk, "session": session.session_key,
                        "late": i >= args.bidders})
    deadline = timezone.now() + timedelta(seconds=args.window + 5)
    Tender.objects.filter(pk=tender.pk).update(deadline=deadline)
    return {"tender": tender.pk, "slot": slot.pk, "deadline": deadline, "bidders": bidders}


def _pdf(size: int) -> bytes:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"%" + secrets.token_hex(size // 2).encode()
    return body + b"\ntrailer<<>>\n%%EOF\n"


def _multipart(fields: dict[str, str], file_field: str, name: str, content: bytes):
    boundary = secrets.token_hex(16)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
                 f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                 + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _surge(port: int, plan: dict, args) -> dict:
    from django.utils import timezone

    rng = random.Random(11)
    window_start = time.monotonic()
    seconds_left = (plan["deadline"] - timezone.now()).total_seconds()
    on_time = [b for b in plan["bidders"] if not b["late"]]
    # Arrivals crowd towards the deadline (a quadratic ramp), all inside the window.
    for bidder in on_time:
        bidder["at"] = args.window * (1 - (1 - rng.random()) ** 2) * 0.97
    for bidder in plan["bidders"]:
        if bidder["late"]:
            bidder["at"] = seconds_left + 1 + rng.random()
    queue = sorted(plan["bidders"], key=lambda b: b["at"])
    lock, outcome = threading.Lock(), {"upload": [], "submit": [], "shown": [], "errors": [],
                                        "refused_late": 0, "accepted_late": 0}
    pdf = _pdf(200_000)

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                bidder = queue.pop(0)
            time.sleep(max(0.0, bidder["at"] - (time.monotonic() - window_start)))
            _one_bidder(port, plan, bidder, pdf, lock, outcome)

    support.run_threads(worker, args.concurrency)
    return outcome


def _one_bidder(port, plan, bidder, pdf, lock, outcome) -> None:
    token = secrets.token_hex(16)
    cookies = f"sessionid={bidder['session']}; csrftoken={token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    body, content_type = _multipart({"csrfmiddlewaretoken": token, "slot": str(plan["slot"])},
                                    f"slot{plan['slot']}-file", "method-statement.pdf", pdf)
    started = time.perf_counter()
    upload_status, upload_page = support.request(
        port, "POST", f"/bids/{bidder['bid']}/documents/", body=body,
                                headers={"Cookie": cookies, "Content-Type": content_type},
                                conn=conn)
    uploaded = time.perf_counter()
    form = f"csrfmiddlewaretoken={token}&accurate=on&no_collusion=on".encode()
    status, page = support.request(port, "POST", f"/bids/{bidder['bid']}/submit/", body=form,
                                   headers={"Cookie": cookies, "Content-Type":
                                            "application/x-www-form-urlencoded"}, conn=conn)
    submitted = time.perf_counter()
    shown = None
    if status == 302:
        location = _location(conn, port, bidder, cookies)
        shown = location
    with lock:
        outcome["upload"].append(uploaded - started)
        outcome["submit"].append(submitted - uploaded)
        if bidder["late"]:
            outcome["accepted_late" if status == 302 else "refused_late"] += 1
        elif shown:
            outcome["shown"].append(shown)
        else:
            outcome["errors"].append((bidder["bid"], upload_status, status,
                                      _error_text(upload_page), _error_text(page)))
    conn.close()


def _error_text(page: bytes) -> str:
    found = re.search(rb'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    return re.sub(rb"<[^>]+>|\s+", b" ", found.group(1)).decode().strip()[:200] if found else ""


def _location(conn, port, bidder, cookies) -> str | None:
    status, page = support.request(port, "GET", f"/bids/{bidder['bid']}/",
                                   headers={"Cookie": cookies}, conn=conn)
    found = RECEIPT.search(page)
    return found.group(0).decode() if found else None


def _verify(plan: dict, outcome: dict, args) -> dict:
    from django.db.models import Count

    from commissioning.models import Bid, BidReceipt
    from core.models import OutboxMessage

    on_time = [b["bid"] for b in plan["bidders"] if not b["late"]]
    submitted = Bid.objects.filter(pk__in=on_time, status="submitted").count()
    receipts = set(BidReceipt.objects.filter(bid_id__in=on_time).values_list("number", flat=True))
    duplicated = (BidReceipt.objects.filter(bid_id__in=on_time).values("bid_id")
                  .annotate(n=Count("id")).filter(n__gt=1).count())
    emails = OutboxMessage.objects.filter(task_name="commissioning.send_bid_receipt").count()
    shown_missing = [n for n in outcome["shown"] if n not in receipts]
    return {
        "bidders": args.bidders, "window_seconds": args.window,
        "concurrency": args.concurrency, "accepted": submitted,
        "lost": args.bidders - submitted, "duplicated_receipts": duplicated,
        "receipts_shown_but_not_committed": len(shown_missing),
        "receipt_emails_queued": emails, "http_errors": outcome["errors"][:5],
        "late_refused": outcome["refused_late"], "late_accepted": outcome["accepted_late"],
        "upload": _percentiles(outcome["upload"]), "submit": _percentiles(outcome["submit"]),
    }


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples) or [0.0]
    return {"p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


if __name__ == "__main__":
    main()
