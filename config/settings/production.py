"""Production: everything secure, nothing defaulted that must be chosen by the operator."""

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    AUDIT_CHECKPOINT_KEYS,
    BID_MASTER_KEYS,
    CITIZENS_DATA_KEYS,
    SECRET_KEY,
    require,
)

require("DJANGO_SECRET_KEY", SECRET_KEY)
require("DJANGO_ALLOWED_HOSTS", ALLOWED_HOSTS)
require("BID_MASTER_KEYS", BID_MASTER_KEYS)
require("AUDIT_CHECKPOINT_KEYS", AUDIT_CHECKPOINT_KEYS)
require("CITIZENS_DATA_KEYS", CITIZENS_DATA_KEYS)
