"""Benchmark: a deadline surge of bidders submitting bids with documents, against gunicorn.

    .venv/bin/python -m benchmarks.deadline_surge [--bidders 300] [--window 90] [--late 5]
        [--restart-postgres] [--redis-down] [--proxy-header]

The final 15 minutes before a deadline are compressed into `--window` seconds. Each bidder's
draft (answer and price) is prepared beforehand through the services, as it would be over the
preceding days; in the window every bidder uploads its method statement (a ~200 KB PDF) and
submits, with arrivals crowding towards the deadline. A few more bidders arrive after the
deadline and must be refused.

The load is open-loop: every bidder sets out at its scheduled moment whatever the responses to
the others, each in its own thread and connection, so a slow portal shows as slow responses
and never as fewer requests. A bidder who meets an outage page (503) does what the page says:
opens the page again (finding the draft as it was) and retries, with a short back-off.

`--restart-postgres` runs on a PostgreSQL cluster of the benchmark's own (initdb in a temporary
directory, `--pg-port`, default 55432) and restarts it (fast shutdown: every session is cut)
during the last minute of the window (`--restart-at`, seconds into the window). `--redis-down`
runs with a redis-server of its own (`--redis-port`, default 56379) as cache and broker, stops it
for the whole window, starts it again afterwards and relays the outbox. Neither ever touches the
shared PostgreSQL or Redis. gunicorn listens on `--port` (default 8701).

Afterwards the database is checked: no on-time submission lost, no bid with two receipts,
every receipt a bidder was shown exists (it was issued after commit), every receipt has its
email queued in the outbox, every draft still holds its answer and price, late bids refused.
Reports p50/p95/max of upload and submit, how long accepted submissions waited between
reaching the portal and being recorded, and what bidders saw during the outage.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import math
import os
import random
import re
import secrets
import threading
import time
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

from benchmarks import support

RECEIPT = re.compile(rb"RCPT-[A-Za-z0-9-]+")
OUTAGE_TEXT = {"upload": b"We could not upload your document",
               "submit": b"We could not submit your bid",
               "page": b"not available right now"}
MAX_ATTEMPTS = 40


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bidders", type=int, default=300)
    parser.add_argument("--window", type=float, default=90.0)
    parser.add_argument("--late", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--restart-postgres", action="store_true")
    parser.add_argument("--restart-at", type=float, default=None,
                        help="seconds into the window (default: window - 30)")
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--redis-down", action="store_true")
    parser.add_argument("--redis-port", type=int, default=56379)
    parser.add_argument("--proxy-header", action="store_true",
                        help="stamp X-Request-Start as a trusted proxy in front would")
    args = parser.parse_args()
    with _servers(args) as (url, faults):
        support.recreate_database(url)
        try:
            support.setup_django(url)
            plan = _prepare(args)
            env = {"PORTAL_REQUEST_START_HEADER": "X-Request-Start"} if args.proxy_header else {}
            server = support.start_gunicorn(url, workers=args.workers, threads=args.threads,
                                            port=args.port, env=env)
            try:
                cpu = support.CpuMeter(server.process.pid)
                outcome = _surge(server.port, plan, args, faults)
                outcome.cpu = cpu.read()
            finally:
                server.stop()
            result = _verify(plan, outcome, args, faults)
        finally:
            _close_connections()
            support.drop_database(url)
    support.report("deadline_surge", result)


# -- the servers: shared PostgreSQL by default, the benchmark's own for outage runs ----------


class Faults:
    """What the run does to its own servers, and when it happened."""

    def __init__(self, postgres=None, redis=None) -> None:
        self.postgres, self.redis = postgres, redis
        self.restarts: list[dict] = []
        self.redis_stopped_at: float | None = None

    def mode(self) -> str:
        names = [n for n, on in (("restart_postgres", self.postgres), ("redis_down", self.redis))
                 if on]
        return "+".join(names) or "normal"


@contextlib.contextmanager
def _servers(args):
    shared = support.database_url()
    postgres = redis = None
    try:
        if args.restart_postgres:
            postgres = support.PostgresCluster(args.pg_port)
            postgres.start()
            url = urlunsplit(urlsplit(postgres.url)._replace(path="/" + support.db_name(shared)))
        else:
            url = shared
        if args.redis_down:
            redis = support.RedisServer(args.redis_port)
            redis.start()
            os.environ.update(REDIS_URL=redis.url, BENCH_REAL_BROKER="1")
        yield url, Faults(postgres, redis)
    finally:
        if redis is not None:
            redis.remove()
        if postgres is not None:
            _close_connections()
            postgres.remove()


def _close_connections() -> None:
    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()


# -- preparation: drafts written over the preceding days -------------------------------------


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
        # Signed in through a prepared session: no password, so no seconds of hashing each.
        user = User.objects.create_user(f"bidder{i}@bench.example.org", None,
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
        bidders.append({"bid": bid.pk, "session": session.session_key, "answer": i,
                        "late": i >= args.bidders})
    return {"tender": tender.pk, "slot": slot.pk, "bidders": bidders, "question": question.pk}


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


# -- the surge: open-loop arrivals ---------------------------------------------------------


class Outcome:
    """What the bidders saw, gathered from every thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.upload: list[float] = []
        self.submit: list[float] = []
        self.shown: list[str] = []
        self.errors: list[tuple] = []
        self.refused_late = self.accepted_late = 0
        self.outage_pages = {"upload": 0, "submit": 0, "page": 0}
        self.outage_page_unclear = 0
        self.server_errors = 0  # 500 or any 5xx but the outage page
        self.connection_errors = 0
        self.outage_seconds: list[float] = []  # how long an outage page took to come
        self.slowest = 0.0
        self.retried_bidders = 0
        self.draft_pages_after_outage = 0
        self.arrival_lag: list[float] = []
        self.cpu: dict = {}

    def add(self, name: str, value) -> None:
        with self.lock:
            getattr(self, name).append(value)


class Bidder:
    """One bidder's journey: upload, submit, read the receipt; retry what an outage stopped."""

    def __init__(self, port, plan, bidder, upload_body, outcome, proxy_header) -> None:
        self.port, self.plan, self.bidder, self.outcome = port, plan, bidder, outcome
        self.upload_body, self.proxy_header = upload_body, proxy_header
        self.token = secrets.token_hex(16)
        self.cookies = f"sessionid={bidder['session']}; csrftoken={self.token}"
        self.conn = self._connect()
        self.fresh = True
        self.met_outage = False

    def _connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def send(self, method: str, path: str, body: bytes | None = None,
             content_type: str | None = None):
        headers = {"Cookie": self.cookies}
        if content_type:
            headers["Content-Type"] = content_type
        if self.proxy_header:
            headers["X-Request-Start"] = f"t={int(time.time() * 1_000_000)}"
        started = time.perf_counter()
        for fresh in (self.fresh, True):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                status, page = response.status, response.read()
                location = response.getheader("Location")
                break
            except (OSError, http.client.HTTPException):
                # A kept-alive connection the server has since closed: send again on a new
                # one, as a browser does. A new connection failing is an error.
                self.conn.close()
                self.conn = self._connect()
                status, page, location = 0, b"", None
                if fresh:
                    break
        self.fresh = False
        elapsed = time.perf_counter() - started
        with self.outcome.lock:
            self.outcome.slowest = max(self.outcome.slowest, elapsed)
        return status, page, location, elapsed

    def _outage(self, kind: str, status: int, page: bytes, elapsed: float) -> bool:
        """Count an outage answer; True when the bidder should try again."""
        with self.outcome.lock:
            if status == 503:
                self.outcome.outage_pages[kind] += 1
                self.outcome.outage_page_unclear += OUTAGE_TEXT[kind] not in page
                self.outcome.outage_seconds.append(elapsed)
            elif status == 0:
                self.outcome.connection_errors += 1
            elif status >= 500:
                self.outcome.server_errors += 1
            else:
                return False
        self.met_outage = True
        return True

    def _retrying(self, kind: str, attempt):
        for number in range(MAX_ATTEMPTS):
            status, page, location, elapsed = attempt()
            if not self._outage(kind, status, page, elapsed):
                return status, page, location
            time.sleep(min(0.5 * 2 ** number, 4.0))
            if kind != "page":
                self._reopen_form(kind)
        return status, page, location

    def _reopen_form(self, kind: str) -> None:
        """Follow the page's "Try again" link: the form again, with the draft as it was."""
        path = f"/bids/{self.bidder['bid']}/{'documents' if kind == 'upload' else 'submit'}/"
        status, page, _ = self._retrying("page", lambda: self.send("GET", path))
        if status == 200 and b"Bid received" not in page:
            with self.outcome.lock:
                self.outcome.draft_pages_after_outage += 1

    def run(self) -> None:
        bid = self.bidder["bid"]
        body, content_type = self.upload_body(self.token)
        upload_status, upload_page, _ = self._retrying("upload", lambda: self._timed(
            "upload", "POST", f"/bids/{bid}/documents/", body, content_type))
        form = f"csrfmiddlewaretoken={self.token}&accurate=on&no_collusion=on".encode()
        status, page, location = self._retrying("submit", lambda: self._timed(
            "submit", "POST", f"/bids/{bid}/submit/", form, "application/x-www-form-urlencoded"))
        shown = None
        if status == 302 and location:
            _, receipt_page, _ = self._retrying("page", lambda: self.send(
                "GET", urlsplit(location).path))
            found = RECEIPT.search(receipt_page)
            shown = found.group(0).decode() if found else None
        with self.outcome.lock:
            self.outcome.retried_bidders += self.met_outage
            if self.bidder["late"]:
                if status == 302:
                    self.outcome.accepted_late += 1
                else:
                    self.outcome.refused_late += 1
            elif shown:
                self.outcome.shown.append(shown)
            else:
                self.outcome.errors.append((bid, upload_status, status, _error_text(upload_page),
                                            _error_text(page)))
        self.conn.close()

    def _timed(self, name, method, path, body, content_type):
        status, page, location, elapsed = self.send(method, path, body, content_type)
        self.outcome.add(name, elapsed)
        return status, page, location, elapsed


def _surge(port: int, plan: dict, args, faults: Faults) -> Outcome:
    from django.utils import timezone

    from commissioning.models import Tender

    rng = random.Random(11)
    # The deadline falls 5 s after the end of the window, which starts now.
    seconds_left = args.window + 5
    plan["deadline"] = timezone.now() + timedelta(seconds=seconds_left)
    Tender.objects.filter(pk=plan["tender"]).update(deadline=plan["deadline"])
    for bidder in plan["bidders"]:
        # Arrivals crowd towards the deadline (a quadratic ramp), all inside the window; the
        # late ones come just after the deadline.
        bidder["at"] = (seconds_left + 1 + rng.random() if bidder["late"]
                        else args.window * (1 - (1 - rng.random()) ** 2) * 0.97)
    outcome, pdf = Outcome(), _pdf(200_000)

    def upload_body(token: str):
        return _multipart({"csrfmiddlewaretoken": token, "slot": str(plan["slot"])},
                          f"slot{plan['slot']}-file", "method-statement.pdf", pdf)

    threading.stack_size(512 * 1024)
    if faults.redis is not None:
        faults.redis.stop()
        faults.redis_stopped_at = 0.0
    window_start = time.monotonic()
    fault_thread = _schedule_restart(faults, args, window_start)
    threads = []
    for bidder in sorted(plan["bidders"], key=lambda b: b["at"]):
        time.sleep(max(0.0, window_start + bidder["at"] - time.monotonic()))
        outcome.arrival_lag.append(time.monotonic() - window_start - bidder["at"])
        journey = Bidder(port, plan, bidder, upload_body, outcome, args.proxy_header)
        thread = threading.Thread(target=journey.run, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    if fault_thread is not None:
        fault_thread.join()
    return outcome


def _schedule_restart(faults: Faults, args, window_start: float):
    if faults.postgres is None:
        return None
    at = args.window - 30 if args.restart_at is None else args.restart_at

    def restart() -> None:
        time.sleep(max(0.0, window_start + at - time.monotonic()))
        began = time.monotonic() - window_start
        seconds = faults.postgres.restart()
        faults.restarts.append({"at_seconds": round(began, 1), "took_seconds": round(seconds, 2)})

    thread = threading.Thread(target=restart, daemon=True)
    thread.start()
    return thread


def _error_text(page: bytes) -> str:
    found = re.search(rb'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    return re.sub(rb"<[^>]+>|\s+", b" ", found.group(1)).decode().strip()[:200] if found else ""


# -- checks ------------------------------------------------------------------------------------


def _verify(plan: dict, outcome: Outcome, args, faults: Faults) -> dict:
    from django.db import connections
    from django.db.models import Count

    from commissioning.models import Bid, BidReceipt
    from core.models import OutboxMessage

    connections.close_all()  # the restart cut this process's connection too
    on_time = [b["bid"] for b in plan["bidders"] if not b["late"]]
    late = [b["bid"] for b in plan["bidders"] if b["late"]]
    submitted = Bid.objects.filter(pk__in=on_time, status="submitted").count()
    rows = list(BidReceipt.objects.filter(bid_id__in=on_time)
                .values_list("number", "received_at", "recorded_at"))
    numbers = {number for number, _, _ in rows}
    duplicated = (BidReceipt.objects.filter(bid_id__in=on_time).values("bid_id")
                  .annotate(n=Count("id")).filter(n__gt=1).count())
    emails = OutboxMessage.objects.filter(task_name="commissioning.send_bid_receipt").count()
    deadline = plan["deadline"]
    waits = [(recorded - received).total_seconds() for _, received, recorded in rows]
    result = {
        "mode": faults.mode(), "bidders": args.bidders, "window_seconds": args.window,
        "load": "open-loop", "gunicorn": f"{args.workers} workers x {args.threads} threads",
        "proxy_header": args.proxy_header, "load_average_after": _load(),
        "accepted": submitted, "lost": args.bidders - submitted,
        "duplicated_receipts": duplicated,
        "receipts_shown_but_not_committed": len([n for n in outcome.shown if n not in numbers]),
        "receipt_emails_queued": emails, "drafts_intact": _drafts_intact(plan),
        "http_errors": outcome.errors[:5],
        "late_refused": outcome.refused_late, "late_accepted": outcome.accepted_late,
        "late_receipts_in_database": BidReceipt.objects.filter(bid_id__in=late).count(),
        "recorded_after_deadline_received_before": sum(
            1 for _, received, recorded in rows if received < deadline <= recorded),
        "received_to_recorded": _percentiles(waits),
        "upload": _percentiles(outcome.upload), "submit": _percentiles(outcome.submit),
        "slowest_request_ms": round(outcome.slowest * 1000, 1),
        "arrival_lag_max_ms": round(max(outcome.arrival_lag or [0]) * 1000, 1),
        "cpu_seconds": outcome.cpu,
        "cpu_ms_per_bidder": {k: round(v * 1000 / (args.bidders + args.late), 1)
                              for k, v in outcome.cpu.items()},
        "audit": _audit_chain(),
    }
    if faults.postgres is not None or faults.redis is not None:
        result["outage"] = {
            "postgres_restarts": faults.restarts,
            "outage_pages": outcome.outage_pages,
            "outage_pages_without_clear_message": outcome.outage_page_unclear,
            "server_errors_5xx_other_than_outage_page": outcome.server_errors,
            "connection_errors": outcome.connection_errors,
            "outage_page": _percentiles(outcome.outage_seconds),
            "bidders_who_retried": outcome.retried_bidders,
            "draft_pages_seen_intact_after_outage": outcome.draft_pages_after_outage,
        }
    if faults.redis is not None:
        result["outage"]["redis"] = _redis_returns(faults)
    return result


def _audit_chain() -> dict:
    """Entries the writers left for the sweep (ADR 0027), and the chain after it."""
    from core.audit import audit_seal_pending, audit_verify
    from core.models import AuditEntry

    waiting = AuditEntry.objects.filter(sequence__isnull=True).count()
    swept = audit_seal_pending()
    report = audit_verify(seal=False)
    return {"entries": AuditEntry.objects.count(), "unsealed_after_window": waiting,
            "sealed_by_sweep": swept, "chain_ok": report.ok, "problems": list(report.problems)}


def _drafts_intact(plan: dict) -> int:
    """Bids whose sealed content still holds the answer and price written before the window."""
    from commissioning.models import Bid
    from commissioning.sealing import unseal

    answers = {b["bid"]: f"Our approach {b['answer']}." for b in plan["bidders"]}
    intact = 0
    for bid in Bid.objects.filter(pk__in=answers).select_related("tender"):
        payload = unseal(tender=bid.tender, blob=bid.sealed_content)
        intact += (payload["answers"].get(str(plan["question"])) == answers[bid.pk]
                   and payload["price"]["total"] == "450000.00")
    return intact


def _redis_returns(faults: Faults) -> dict:
    """Start Redis again and let the relay publish what waited in the outbox."""
    from core import outbox

    pending = outbox.pending_messages().count()
    faults.redis.start()
    relayed = 0
    while sent := outbox.relay_pending(min_age=timedelta(0)):
        relayed += sent
    return {"stopped_for_the_whole_window": True, "outbox_pending_when_back": pending,
            "relayed_when_back": relayed, "still_pending": outbox.pending_messages().count()}


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples) or [0.0]

    def rank(fraction: float) -> float:  # nearest-rank percentile
        return round(ordered[max(0, math.ceil(len(ordered) * fraction) - 1)] * 1000, 1)

    return {"n": len(samples), "p50_ms": rank(0.5), "p95_ms": rank(0.95),
            "max_ms": round(ordered[-1] * 1000, 1)}


if __name__ == "__main__":
    main()
