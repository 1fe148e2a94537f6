"""Settings for the HTTP benchmarks: production settings on plain HTTP on loopback."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-key-0c4d2e9f8a7b6c5d4e3f2a1b0c9d8e7f")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("BID_MASTER_KEYS", "YmVuY2htYXJrLW9ubHktbWFzdGVyLWtleS0wMTIzNDU=")
os.environ.setdefault("AUDIT_CHECKPOINT_KEYS", "bench:benchmark-only-audit-checkpoint-key-5e2a9c")
os.environ.setdefault(
    "AUDIT_CHECKPOINT_PATH",
    os.path.join(tempfile.mkdtemp(prefix="portal-bench-audit-"), "checkpoints.jsonl"),
)
os.environ.setdefault("CITIZENS_DATA_KEYS", "YmVuY2htYXJrLW9ubHktY2l0aXplbnMta2V5LTAxMjM=")

from config.settings.production import *  # noqa: E402,F403

ROOT_URLCONF = "benchmarks.urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if not os.environ.get("BENCH_REAL_BROKER"):
    # No worker runs: messages only have to be accepted. Outage runs keep the Redis broker of
    # REDIS_URL (their own throwaway server) to show the outbox riding out its absence.
    CELERY_BROKER_URL = "memory://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Quiet: outage runs would print a warning per outbox message the broker could not take.
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"null": {"class": "logging.NullHandler"}},
           "root": {"handlers": ["null"], "level": "WARNING"}}
if "KEY_PREFIX" not in CACHES["default"] and REDIS_URL:  # noqa: F405
    # One prefix per benchmark run, shared with its gunicorn workers through the environment,
    # so runs never read each other's (or anyone's) cache entries in a shared Redis.
    import uuid

    CACHES["default"]["KEY_PREFIX"] = os.environ.setdefault(  # noqa: F405
        "BENCH_CACHE_PREFIX", f"bench-{uuid.uuid4().hex[:12]}")
