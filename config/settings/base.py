"""Settings shared by every environment: secure by default, driven by the environment.

production.py, dev.py and test.py adjust only what differs. Every value a deployment sets
comes from an environment variable read here, listed in README.md.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY") or ""
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

PORTAL_NAME = env("PORTAL_NAME", "Collaborative Commissioning Portal")
# The body that runs the portal, named in the footer (not shown when empty).
PORTAL_OPERATOR = env("PORTAL_OPERATOR", "")
# The GOV.UK phase banner ("alpha" or "beta"); empty once the service is live.
PORTAL_PHASE = env("PORTAL_PHASE", "beta")
PORTAL_CONTACT_EMAIL = env("PORTAL_CONTACT_EMAIL", "support@portal.example")
# The smallest social value weight (%) any authority may set; central government is fixed at
# 10% or this, whichever is higher (PPN 002). Never 0: a zero or invalid value fails loudly.
PORTAL_MIN_SOCIAL_VALUE_WEIGHT = env("PORTAL_MIN_SOCIAL_VALUE_WEIGHT", "10")
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")  # for links in emails

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "template_partials",
    "csp",
    # The portal's own apps, in dependency order (see ARCHITECTURE.md).
    "core",
    "accounts",
    "organisations",
    "socialvalue",
    "commissioning",
    "grants",
    "mutuals",
    "citizens",
    "compliance",
    "reports",
]

MIDDLEWARE = [
    # First: stamps request.received_at, the time deadlines are judged by (core.request_time).
    "core.request_time.RequestReceivedMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.BadInputMiddleware",  # inside CSP: its pages carry the nonce
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "organisations.middleware.CurrentOrganisationMiddleware",
    "accounts.middleware.MfaRequiredMiddleware",
]

# When a request reached the portal: the header a trusted reverse proxy sets on every request
# (for example "X-Request-Start", written "t=<epoch seconds or microseconds>"), believed at most
# REQUEST_START_MAX_AGE seconds before the portal saw the request. Unset: the portal's own time.
REQUEST_START_HEADER = env("PORTAL_REQUEST_START_HEADER") or None
REQUEST_START_MAX_AGE = float(env("PORTAL_REQUEST_START_MAX_AGE", "60"))

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.portal",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]
FORM_RENDERER = "core.forms.rendering.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Never let a health check or request hang on an unreachable database host.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 3
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Redis is a cache, never the only copy of anything: when it is down, reads fall back to the
    # database and no request waits more than a second on it.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered public pages kept until their data changes (core.pagecache). Their version lives in
# the cache, so it must be shared by every process: on by default with Redis only.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", bool(REDIS_URL))

# Sessions live in the database so that a Redis outage never logs anybody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: the one inline script (govuk-frontend's js-enabled body
# class) carries the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"

# django-allauth: email is the identity; verification is mandatory before anything else.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "accounts.adapters.PortalAccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.PersonSignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PORTAL_NAME
# Accept the codes either side of the current 30-second step: clocks drift (RFC 6238 s5.2).
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "accounts.adapters.PortalMfaAdapter"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:i a"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": env("DJANGO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never routed: documents are served by views that check permission

# Uploads: limits enforced by core.documents on the sniffed type, not the file name.
DOCUMENT_MAX_BYTES = int(env("DOCUMENT_MAX_BYTES", str(25 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads stay in memory up to the document limit, so a sealed bid's file is encrypted before
# it ever touches the disk (no plaintext temporary file).
FILE_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_BYTES
CLAMAV_ADDRESS = env("CLAMAV_ADDRESS")  # "unix:///run/clamav/clamd.ctl" or "tcp://host:3310"

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"{PORTAL_NAME} <no-reply@portal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: see config/celery.py for the app and the beat schedule.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        # Publishing from a request never waits on an unreachable broker: the outbox keeps
        # the message and the relay delivers it once Redis is back.
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
        "max_retries": 0,
        "visibility_timeout": 3600,
    }
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        # The exchange table too, or kombu writes it to ./control in the working directory.
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 300_000  # KiB
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 30  # requeue acks_late tasks on shutdown
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django_redis": {"level": "ERROR"}},
}

# Compliance: a finding is raised when an organisation waits longer than this for verification.
COMPLIANCE_VERIFICATION_WAIT_WORKING_DAYS = 5


def require(name: str, value: object) -> None:
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable (see README.md).")

# Sealed bids: the master key wraps every tender's data key. It lives outside the database
# (an environment variable, or a secrets manager that sets it); several comma-separated keys
# allow rotation (the first encrypts). Generate one with:
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
BID_MASTER_KEYS = env_list("BID_MASTER_KEYS")
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", "ocds-zz9zz9")  # register a real prefix with OCP
GRANTS_360G_PREFIX = env("GRANTS_360G_PREFIX", "360G-portal")  # the prefix 360Giving registers
GRANTS_DUE_DILIGENCE_SOURCES: list[str] = []  # dotted paths of registry lookup adapters
OCDS_PUBLISHER_NAME = env("OCDS_PUBLISHER_NAME", PORTAL_NAME)

# Audit checkpoints (core.checkpoints, docs/operations/audit-checkpoints.md): signed heads of the
# audit chain appended to a file outside the database. Point the path at append-only storage
# (chattr +a, a write-once volume) on the machine that runs beat. The keys, "key-id:secret"
# pairs separated by commas, come from the environment and are never stored in the database;
# the first signs, every one verifies (rotation). Generate a key with:
#   python -c "import secrets; print('2026a:' + secrets.token_urlsafe(32))"
AUDIT_CHECKPOINT_PATH = Path(
    env("AUDIT_CHECKPOINT_PATH") or str(VAR_DIR / "audit" / "checkpoints.jsonl")
)
AUDIT_CHECKPOINT_KEYS = env_list("AUDIT_CHECKPOINT_KEYS")
# With workers on several machines, send the checkpoint task to a queue that only the worker
# beside the file consumes (`celery -A config worker -Q celery,<queue>` there).
AUDIT_CHECKPOINT_QUEUE = env("AUDIT_CHECKPOINT_QUEUE")
CELERY_TASK_ROUTES = (
    {"core.audit_checkpoint": {"queue": AUDIT_CHECKPOINT_QUEUE}} if AUDIT_CHECKPOINT_QUEUE else {}
)
# Citizen panels: pool answers and bank details are encrypted with these keys (Fernet, several
# comma-separated for rotation: the first encrypts). They live outside the database.
CITIZENS_DATA_KEYS = env_list("CITIZENS_DATA_KEYS")
# Leximin needs a Gurobi licence on the worker; without one panels are drawn with maximin on
# HiGHS (open source). Set to 1 only where gurobipy and its licence are installed.
CITIZENS_LEXIMIN_ENABLED = env("CITIZENS_LEXIMIN_ENABLED", "") == "1"
CITIZENS_SELECTION_MAX_SECONDS = int(env("CITIZENS_SELECTION_MAX_SECONDS", "300"))
# The solver for new draws: "highs" (default: HiGHS with the portal's corrections), "highspy"
# (the library's HiGHS backend as it comes) or "mip" (CBC; needs the mip package). Each draw
# records its own, so it can be re-run (ADR 0026).
CITIZENS_SORTITION_SOLVER = env("CITIZENS_SORTITION_SOLVER", "highs")
# Where the operator serves the nightly `manage.py export_ocds` files, if anywhere (a folder URL
# holding releases.json and records.json); the /ocds/ page links them when set.
OCDS_BULK_URL = env("OCDS_BULK_URL", "").rstrip("/")
