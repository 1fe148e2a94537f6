"""The zero-setup settings of `make run`: SQLite and a file broker unless DATABASE_URL/REDIS_URL."""

from .base import *  # noqa: F403
from .base import AUDIT_CHECKPOINT_KEYS, VAR_DIR, env

DEBUG = True
PORTAL_OPERATOR = env("PORTAL_OPERATOR", "Example Council, for demonstration")
# Links in emails lead back to this server: `PORT=8010 make run` gives http://127.0.0.1:8010.
# PORTAL_DEV_PORT, not PORT: honcho gives the worker and beat ports of their own.
_DEV_PORT = env("PORTAL_DEV_PORT") or env("PORT", "8000")
PORTAL_BASE_URL = env("PORTAL_BASE_URL", f"http://127.0.0.1:{_DEV_PORT}").rstrip("/")
SECRET_KEY = env("DJANGO_SECRET_KEY") or "dev-only-key-never-used-in-production-8c1f6d0b5a"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "emails"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WHITENOISE_AUTOREFRESH = True  # serve from the finders: no collectstatic needed

# A fixed key so sealed test/demo bids can be opened; never used in production.
BID_MASTER_KEYS = ["ZGV2LW9ubHktbWFzdGVyLWtleS0wMTIzNDU2Nzg5YWI="]

# A fixed checkpoint key unless one is set; never used in production (a deploy check refuses it).
AUDIT_CHECKPOINT_KEYS = AUDIT_CHECKPOINT_KEYS or [
    "dev-1:dev-only-audit-checkpoint-key-never-in-production-0d5e",
]
CITIZENS_DATA_KEYS = ["ZGV2LW9ubHktY2l0aXplbnMta2V5LTAxMjM0NTY3ODk="]
