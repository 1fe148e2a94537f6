"""Scheduled and on-demand compliance runs. Thin: they call one service."""

from __future__ import annotations

from celery import shared_task

from compliance import services


@shared_task(name="compliance.run_due_checks", ignore_result=True)
def run_due_checks() -> dict[str, str]:
    """Beat's entry point: run the checks whose interval has elapsed (see config/celery.py)."""
    return {run.check_id: _outcome(run) for run in services.run_due_checks()}


@shared_task(name="compliance.run_check", ignore_result=True)
def run_check(check_id: str) -> str:
    """Run one check now (a platform admin asked for it)."""
    return _outcome(services.check_run(check_id=check_id))


def _outcome(run) -> str:
    if run.succeeded:
        return (
            f"{run.opened_count} opened, {run.still_open_count} still open, "
            f"{run.resolved_count} resolved"
        )
    return "failed"
