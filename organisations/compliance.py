"""Compliance checks about organisations and their people (see compliance.registry)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Min

from compliance.registry import FindingSpec, Severity, compliance_check
from core.calendar import (
    latest_working_day,
    local_date,
    start_of_day,
    working_days_before,
    working_days_between,
)
from organisations.models import AUTHORITY_ROLES, Membership, Organisation


def verification_cutoff(now: datetime, wait_working_days: int) -> datetime:
    """Submissions before this instant have waited more than ``wait_working_days``.

    Working days after the submission day are counted up to the latest working day on or before
    today: a provider who applied on Thursday 2 April 2026 (before Easter) is overdue from
    Tuesday 14 April, after five working days (7, 8, 9, 10 and 13 April).
    """
    anchor = latest_working_day(now)
    return start_of_day(working_days_before(anchor, wait_working_days))


@compliance_check(
    id="organisations.verification_overdue",
    title="Provider verification overdue",
    severity=Severity.HIGH,
    interval=timedelta(hours=24),
)
def verification_overdue(now: datetime) -> Iterator[FindingSpec]:
    """Providers still awaiting verification after the promised number of working days."""
    wait = settings.COMPLIANCE_VERIFICATION_WAIT_WORKING_DAYS
    overdue = Organisation.objects.filter(
        kind=Organisation.Kind.PROVIDER,
        verification_status=Organisation.Verification.PENDING,
        submitted_at__lt=verification_cutoff(now, wait),
    ).values_list("pk", "name", "submitted_at")
    content_type = ContentType.objects.get_for_model(Organisation)
    for pk, name, submitted_at in overdue.iterator(chunk_size=2000):
        waited = working_days_between(submitted_at, now)
        yield FindingSpec(
            subject=(content_type, pk),
            organisation_id=None,
            message=(
                f"{name} asked to be verified on {_long_date(submitted_at)} and has "
                f"waited {waited} working days (the promise is {wait})."
            ),
        )


@compliance_check(
    id="organisations.staff_without_mfa",
    title="Authority staff without two-factor authentication",
    severity=Severity.HIGH,
    interval=timedelta(hours=24),
)
def staff_without_mfa(now: datetime) -> Iterator[FindingSpec]:
    """Active people with an authority role who have not set up an authenticator app.

    One finding per person and authority, about their first membership there (a person with
    several roles in one authority is one problem, not several).
    """
    with_totp = Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user_id")
    rows = (
        Membership.objects.filter(
            role__in=AUTHORITY_ROLES,
            organisation__kind=Organisation.Kind.AUTHORITY,
            user__is_active=True,
        )
        .exclude(user_id__in=with_totp)
        .order_by()
        .values("user_id", "organisation_id", "user__full_name", "user__email")
        .annotate(membership_id=Min("pk"))
    )
    content_type = ContentType.objects.get_for_model(Membership)
    for row in rows.iterator(chunk_size=2000):
        person = row["user__full_name"] or row["user__email"]
        yield FindingSpec(
            subject=(content_type, row["membership_id"]),
            organisation_id=row["organisation_id"],
            message=(
                f"{person} ({row['user__email']}) has a staff role but has not set up "
                "two-factor authentication. They cannot use staff pages until they do."
            ),
        )


def _long_date(value: datetime) -> str:
    day = local_date(value)
    return f"{day.day} {day:%B %Y}"
