"""Test settings: the real database and Redis when DATABASE_URL/REDIS_URL are set."""

import tempfile
import uuid
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, env

SECRET_KEY = "test-only-key-5b0f2e9d7c4a1e8f3b6d9a2c5e8f1b4d7a0c3e6f"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))
VAR_DIR = Path(tempfile.mkdtemp(prefix="portal-test-var-"))  # demo-logins.txt and the like
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if REDIS_URL:
    # Each test run gets its own key prefix so runs never read each other's cache entries
    # (rate-limit counters, for one, outlive a run).
    CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"
PAGE_CACHE_ENABLED = True  # one process, so the local-memory cache is shared enough
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}

WHITENOISE_AUTOREFRESH = True  # serve from the finders: no collectstatic needed

# A fixed key so sealed test/demo bids can be opened; never used in production.
BID_MASTER_KEYS = ["dGVzdC1vbmx5LW1hc3Rlci1rZXktMDEyMzQ1Njc4OWE="]

# Fixed checkpoint keys (the second only verifies, as after a rotation) and a checkpoint file of
# this run's own; tests/conftest.py gives each test a file of its own as well.
AUDIT_CHECKPOINT_KEYS = [
    "test-2:test-only-audit-checkpoint-key-number-two-9b4f1c",
    "test-1:test-only-audit-checkpoint-key-number-one-3a7e2d",
]
AUDIT_CHECKPOINT_PATH = Path(
    env("AUDIT_CHECKPOINT_PATH") or Path(tempfile.mkdtemp(prefix="portal-test-audit-"))
    / "checkpoints.jsonl"
)
CITIZENS_DATA_KEYS = ["dGVzdC1vbmx5LWNpdGl6ZW5zLWtleS0wMTIzNDU2Nzg="]
