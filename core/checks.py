"""System checks for the audit checkpoints (`manage.py check`, and `check --deploy`)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from core import checkpoints

# The fixed keys of the development and test settings: public, so worthless in production.
PUBLIC_KEY_PREFIXES = ("dev-only-", "test-only-")


@checks.register(checks.Tags.security)
def audit_checkpoint_keys_are_well_formed(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        checkpoints.configured_keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="core.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def audit_checkpoints_are_deployable(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        keys = checkpoints.configured_keys()
    except ImproperlyConfigured:
        return []  # reported by audit_checkpoint_keys_are_well_formed
    messages: list[checks.CheckMessage] = []
    if not keys:
        messages.append(checks.Error(
            "AUDIT_CHECKPOINT_KEYS is not set: the audit chain's head is never signed, so "
            "cutting off or rewriting its newest entries goes unnoticed.", id="core.E002",
        ))
    elif any(secret.decode().startswith(PUBLIC_KEY_PREFIXES) for secret in keys.values()):
        messages.append(checks.Error(
            "AUDIT_CHECKPOINT_KEYS holds a development or test key, which is public.",
            id="core.E003",
        ))
    messages.extend(_path_warnings(Path(settings.AUDIT_CHECKPOINT_PATH)))
    return messages


def _path_warnings(path: Path) -> list[checks.CheckMessage]:
    resolved = path.resolve()
    if resolved.is_relative_to(Path(settings.BASE_DIR).resolve()):
        return [checks.Warning(
            f"AUDIT_CHECKPOINT_PATH ({path}) is inside the application directory.",
            hint="Point it at append-only storage outside the application and the database "
            "(see docs/operations/audit-checkpoints.md).", id="core.W001",
        )]
    if resolved.exists():
        writable = os.access(resolved, os.W_OK)
    else:
        writable = resolved.parent.is_dir() and os.access(resolved.parent, os.W_OK | os.X_OK)
    if not writable:
        return [checks.Warning(
            f"AUDIT_CHECKPOINT_PATH ({path}) cannot be appended to by this user (or its "
            "directory does not exist).",
            hint="Create it on the machine that runs beat and audit_verify.", id="core.W002",
        )]
    return []
