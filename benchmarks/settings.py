"""Settings for the HTTP benchmarks: production settings on plain HTTP on loopback."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-key-0c4d2e9f8a7b6c5d4e3f2a1b0c9d8e7f")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("BID_MASTER_KEYS", "YmVuY2htYXJrLW9ubHktbWFzdGVyLWtleS0wMTIzNDU=")
os.environ.setdefault("CITIZENS_DATA_KEYS", "YmVuY2htYXJrLW9ubHktY2l0aXplbnMta2V5LTAxMjM=")

from config.settings.production import *  # noqa: E402,F403

ROOT_URLCONF = "benchmarks.urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "WARNING"}}
