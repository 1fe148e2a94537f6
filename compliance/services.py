"""Running compliance checks: reconcile what a check sees now with the stored findings.

A run asks the check for the current set of problems, then in a handful of set-based queries
opens findings for new subjects, refreshes the ones still there and resolves the ones that went
away. Running a check twice leaves one open finding per subject (a partial unique constraint
backs this up), so a duplicated beat tick or a redelivered task does no harm.
"""

from __future__ import annotations

import logging
import traceback
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from compliance import registry
from compliance.models import CheckRun, Finding
from compliance.registry import ComplianceCheck, FindingSpec
from core import outbox
from core.audit import audit_record
from core.notifications import notify
from organisations.selectors import admins_of, platform_admins

logger = logging.getLogger(__name__)

# A check is due a little before its interval is up, so beat's tick latency does not push
# each run one tick (15 minutes) later than the last.
DUE_TOLERANCE = timedelta(minutes=1)
RUN_CHECK_TASK = "compliance.run_check"
_LOCK_NAMESPACE = 727_002  # pg_advisory_xact_lock(namespace, check) serialises runs of a check
_CHUNK = 1000
_NOTIFY_PREVIEW = 10

Key = tuple[int, int]  # (content type id, object id)


@dataclass(frozen=True)
class _OpenRow:
    pk: int
    message: str
    organisation_id: int | None


@dataclass(frozen=True)
class Reconciliation:
    opened: list[Finding]
    still_open: int
    resolved: int


def check_run(*, check_id: str, now: datetime | None = None) -> CheckRun:
    """Run one check now and store the outcome; return the CheckRun.

    A check that raises does not raise here: the run is stored with the error (and audited),
    its findings are left as they were, and ``run.succeeded`` is False. Unknown ids raise
    ``registry.UnknownCheck``. Not atomic itself: the run row must survive a failed check.
    """
    check = registry.get_check(check_id)
    now = now or timezone.now()
    run = CheckRun.objects.create(check_id=check.id, started_at=now)
    try:
        _run_atomically(check=check, run=run, now=now)
    except Exception as exc:  # any failure of a check is recorded, never lost
        logger.exception("Compliance check %s failed.", check.id)
        _record_failure(run=run, check=check, exc=exc)
    return run


def run_due_checks(*, now: datetime | None = None) -> list[CheckRun]:
    """Run every check whose interval has elapsed since its last successful run."""
    now = now or timezone.now()
    last_success = last_successful_runs()
    due = [c for c in registry.all_checks() if is_due(c, last_success.get(c.id), now)]
    return [check_run(check_id=check.id, now=now) for check in due]


def run_all_checks(*, now: datetime | None = None) -> list[CheckRun]:
    """Run every registered check now, whatever its schedule."""
    now = now or timezone.now()
    return [check_run(check_id=check.id, now=now) for check in registry.all_checks()]


def is_due(check: ComplianceCheck, last_success: datetime | None, now: datetime) -> bool:
    return last_success is None or now - last_success >= check.interval - DUE_TOLERANCE


def last_successful_runs() -> dict[str, datetime]:
    """When each check last started a run that succeeded, in one query."""
    rows = (
        CheckRun.objects.filter(finished_at__isnull=False, error="")
        .order_by()
        .values("check_id")
        .annotate(last=Max("started_at"))
        .values_list("check_id", "last")
    )
    return dict(rows)


@transaction.atomic
def check_run_request(*, actor, check_id: str) -> None:
    """A platform admin asks for a check to run now; a worker runs it via the outbox."""
    if not (actor.is_authenticated and actor.is_platform_admin):
        raise PermissionDenied
    try:
        check = registry.get_check(check_id)
    except registry.UnknownCheck:
        raise ValidationError("There is no compliance check with that name.") from None
    outbox.enqueue(RUN_CHECK_TASK, check.id)
    audit_record(
        actor=actor, action="compliance.check_run_requested",
        summary=f"Asked for “{check.title}” to run now", changes={"check_id": check.id},
    )


# The run itself -------------------------------------------------------------------------


@transaction.atomic
def _run_atomically(*, check: ComplianceCheck, run: CheckRun, now: datetime) -> None:
    _lock_check(check.id)
    current = _current_set(check.find(now))
    result = _reconcile(check=check, current=current, now=now)
    run.opened_count = len(result.opened)
    run.still_open_count = result.still_open
    run.resolved_count = result.resolved
    run.finished_at = timezone.now()
    run.save(update_fields=["opened_count", "still_open_count", "resolved_count", "finished_at"])
    _audit_run(run=run, check=check)
    # Written in the run's transaction; the emails are published after it commits.
    _notify_owners(check=check, findings=result.opened)


def _reconcile(
    *, check: ComplianceCheck, current: dict[Key, FindingSpec], now: datetime
) -> Reconciliation:
    open_rows = _open_findings(check.id)
    new_keys = sorted(current.keys() - open_rows.keys())
    kept_keys = current.keys() & open_rows.keys()
    gone_ids = [open_rows[key].pk for key in open_rows.keys() - current.keys()]
    opened = _open(check=check, keys=new_keys, current=current, now=now)
    _refresh(check=check, kept=[(open_rows[k], current[k]) for k in kept_keys], now=now)
    _resolve(finding_ids=gone_ids, now=now)
    return Reconciliation(opened=opened, still_open=len(kept_keys), resolved=len(gone_ids))


def _current_set(specs: Iterable[FindingSpec]) -> dict[Key, FindingSpec]:
    return {_subject_key(spec.subject): spec for spec in specs}


def _subject_key(subject: registry.Subject) -> Key:
    if isinstance(subject, models.Model):
        return ContentType.objects.get_for_model(subject).pk, int(subject.pk)
    content_type, object_id = subject
    content_type_id = content_type.pk if isinstance(content_type, ContentType) else content_type
    return int(content_type_id), int(object_id)


def _open_findings(check_id: str) -> dict[Key, _OpenRow]:
    rows = Finding.objects.filter(check_id=check_id, status=Finding.Status.OPEN).values_list(
        "pk", "content_type_id", "object_id", "message", "organisation_id"
    )
    return {(ct, obj): _OpenRow(pk, message, org) for pk, ct, obj, message, org in rows}


def _open(
    *, check: ComplianceCheck, keys: Sequence[Key], current: dict[Key, FindingSpec],
    now: datetime,
) -> list[Finding]:
    findings = [
        Finding(
            check_id=check.id, content_type_id=key[0], object_id=key[1],
            organisation_id=current[key].organisation_id, message=current[key].message,
            severity=check.severity, status=Finding.Status.OPEN,
            first_seen_at=now, last_seen_at=now,
        )
        for key in keys
    ]
    return Finding.objects.bulk_create(findings, batch_size=500)


def _refresh(
    *, check: ComplianceCheck, kept: list[tuple[_OpenRow, FindingSpec]], now: datetime
) -> None:
    for ids in _chunks([row.pk for row, _spec in kept]):
        Finding.objects.filter(pk__in=ids).update(last_seen_at=now, severity=check.severity)
    changed = [
        Finding(pk=row.pk, message=spec.message, organisation_id=spec.organisation_id)
        for row, spec in kept
        if (row.message, row.organisation_id) != (spec.message, spec.organisation_id)
    ]
    Finding.objects.bulk_update(changed, ["message", "organisation"], batch_size=500)


def _resolve(*, finding_ids: list[int], now: datetime) -> None:
    for ids in _chunks(finding_ids):
        Finding.objects.filter(pk__in=ids, status=Finding.Status.OPEN).update(
            status=Finding.Status.RESOLVED, resolved_at=now
        )


def _lock_check(check_id: str) -> None:
    if connection.vendor == "postgresql":
        key = zlib.crc32(check_id.encode()) - 2**31  # fit PostgreSQL's signed int4
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, key])


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


# Audit, failure and notification ---------------------------------------------------------


def _audit_run(*, run: CheckRun, check: ComplianceCheck) -> None:
    audit_record(
        actor=None, action="compliance.check_run", obj=run,
        summary=(
            f"{check.title}: {run.opened_count} opened, {run.still_open_count} still open, "
            f"{run.resolved_count} resolved"
        ),
        changes={
            "check_id": check.id, "opened": run.opened_count,
            "still_open": run.still_open_count, "resolved": run.resolved_count,
        },
    )


def _record_failure(*, run: CheckRun, check: ComplianceCheck, exc: Exception) -> None:
    run.error = traceback.format_exc()[-10_000:] or f"{type(exc).__name__}: {exc}"
    run.finished_at = timezone.now()
    run.save(update_fields=["error", "finished_at"])
    audit_record(
        actor=None, action="compliance.check_run", obj=run,
        summary=f"{check.title}: failed ({type(exc).__name__})",
        changes={"check_id": check.id, "error": f"{type(exc).__name__}: {exc}"[:500]},
    )


def _notify_owners(*, check: ComplianceCheck, findings: list[Finding]) -> None:
    """One notification per owner's admin for the findings this run opened."""
    by_owner: dict[int | None, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_owner[finding.organisation_id].append(finding)
    organisations = _organisations_by_id([org_id for org_id in by_owner if org_id is not None])
    url = f"{reverse('compliance:dashboard')}?check={check.id}&status=open"
    for org_id, owned in by_owner.items():
        recipients = platform_admins() if org_id is None else admins_of(
            organisation=organisations[org_id]
        )
        notify(recipients=recipients, subject=_subject_line(check, owned),
               body=_body(check, owned), url=url)


def _organisations_by_id(ids: list[int]) -> dict:
    # Through the finding's foreign key: compliance reads other apps via selectors, not models.
    organisation_model = Finding._meta.get_field("organisation").related_model
    return organisation_model.objects.in_bulk(ids) if ids else {}


def _subject_line(check: ComplianceCheck, findings: list[Finding]) -> str:
    count = len(findings)
    noun = "finding" if count == 1 else "findings"
    return f"{count} new compliance {noun}: {check.title}"


def _body(check: ComplianceCheck, findings: list[Finding]) -> str:
    lines = [f"The “{check.title}” check ({check.severity} severity) found:", ""]
    lines += [f"- {finding.message}" for finding in findings[:_NOTIFY_PREVIEW]]
    if len(findings) > _NOTIFY_PREVIEW:
        lines.append(f"- and {len(findings) - _NOTIFY_PREVIEW} more.")
    lines += ["", "Open the compliance dashboard to see every finding."]
    return "\n".join(lines)
