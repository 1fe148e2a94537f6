"""The Celery application and the one reviewed beat schedule (crontab only, with expiries).

Run exactly one beat process. Tasks are thin: they take ids and call one service.
"""

import os

from celery import Celery, signals
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every minute: publish outbox messages that could not reach the broker at commit time.
    "core-relay-outbox": {
        "task": "core.relay_outbox",
        "schedule": crontab(),
        "options": {"expires": 50},
    },
    # Every minute: seal audit entries left unsealed after a busy moment (ADR 0027).
    "core-audit-seal": {
        "task": "core.audit_seal",
        "schedule": crontab(),
        "options": {"expires": 50},
    },
    # Every 5 minutes: sign the audit chain's head into the checkpoint file (when it moved).
    "core-audit-checkpoint": {
        "task": "core.audit_checkpoint",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # Every 5 minutes: close panel votes whose closing time has passed, and declare results.
    "citizens-close-due-decisions": {
        "task": "citizens.close_due_decisions",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # Nightly: erase sensitive pool answers past the panel's retention date.
    "citizens-purge-sensitive-answers": {
        "task": "citizens.purge_sensitive_answers",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    # Every 5 minutes: remind suppliers with a draft bid 24 hours and 1 hour before the deadline.
    "commissioning-send-deadline-reminders": {
        "task": "commissioning.send_deadline_reminders",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # Daily at 07:00 UTC: email each supplier the new tenders matching their saved searches.
    "commissioning-send-tender-alerts": {
        "task": "commissioning.send_tender_alerts",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 6 * 60 * 60},
    },
    # Every 15 minutes: run the compliance checks whose interval has elapsed.
    "compliance-run-due-checks": {
        "task": "compliance.run_due_checks",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
}


@signals.task_prerun.connect
@signals.task_postrun.connect
def _close_stale_database_connections(**kwargs) -> None:
    # A worker outlives database restarts: drop connections that are broken or too old.
    from django.db import close_old_connections

    close_old_connections()
