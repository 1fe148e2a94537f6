"""Demo people and organisations: one login per role (listed in README.md)."""

from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.utils import timezone

from accounts.models import CitizenProfile, User
from core.audit import audit_record
from organisations.models import Membership, Organisation, Role
from organisations.services import organisation_authority_type_set

DEMO_PASSWORD = "Commission-2026!"
# Staff must use two-factor authentication; the demo accounts share this authenticator secret.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

AUTHORITY = {
    "name": "Northshire County Council", "authority_code": "NSH",
    "address_line_1": "County Hall", "town": "Northby", "postcode": "LS1 1UR",
    "website": "https://www.northshire.example.org",
}
# A central government authority: the lower thresholds, £12,000 notifiable value and the fixed
# 10% social value floor (PPN 002). Fictional, like every demo organisation.
CENTRAL_AUTHORITY = {
    "name": "Department for Community Services", "authority_code": "",
    "address_line_1": "1 Victoria Street", "town": "London", "postcode": "SW1H 0ET",
    "website": "https://www.community-services.example.gov.uk",
}
PROVIDERS = [
    {"name": "Riverside Community Trust", "legal_form": "cio", "charity_number": "1187654",
     "size": "small", "is_vcse": True, "verification_status": "verified", "town": "Northby"},
    {"name": "Northshire Care Mutual", "legal_form": "mutual", "company_number": "09876543",
     "size": "medium", "is_vcse": True, "verification_status": "verified", "town": "Southby"},
    {"name": "Hillside Youth Project", "legal_form": "charity", "charity_number": "1012345",
     "size": "micro", "is_vcse": True, "verification_status": "pending", "town": "Hillside",
     "days_waiting": 9},
    {"name": "Brightway Services Ltd", "legal_form": "large", "company_number": "01234567",
     "size": "large", "is_vcse": False, "verification_status": "verified", "town": "Leeds"},
]
PEOPLE = [
    # email, name, platform admin, [(organisation, role)], needs TOTP
    ("admin@example.org", "Priya Shah", True, [], True),
    ("authority.admin@example.org", "Owen Hughes", False,
     [(AUTHORITY["name"], Role.AUTHORITY_ADMIN)], True),
    ("commissioner@example.org", "Claire Walker", False,
     [(AUTHORITY["name"], Role.COMMISSIONER), (AUTHORITY["name"], Role.GRANT_MANAGER)], True),
    ("evaluator@example.org", "Ade Okafor", False, [(AUTHORITY["name"], Role.EVALUATOR)], True),
    ("contracts@example.org", "Megan Price", False,
     [(AUTHORITY["name"], Role.CONTRACT_MANAGER)], True),
    ("charity@example.org", "Sam Patel", False,
     [("Riverside Community Trust", Role.PROVIDER_ADMIN)], False),
    ("bidwriter@example.org", "Jo Evans", False,
     [("Riverside Community Trust", Role.BID_WRITER),
      ("Northshire Care Mutual", Role.BID_WRITER)], False),
    ("mutual@example.org", "Tom Reid", False,
     [("Northshire Care Mutual", Role.PROVIDER_ADMIN)], False),
    ("pending@example.org", "Lena Novak", False,
     [("Hillside Youth Project", Role.PROVIDER_ADMIN)], False),
    ("company@example.org", "Gary Stone", False,
     [("Brightway Services Ltd", Role.PROVIDER_ADMIN)], False),
]
CITIZENS = [
    ("citizen@example.org", "Rosa Martin", "LS2 7HY", "25-34"),
    ("citizen2@example.org", "Derek Lowe", "LS6 1AN", "65-74"),
]


def seed(stdout) -> None:
    organisations = {AUTHORITY["name"]: _authority(AUTHORITY),
                     CENTRAL_AUTHORITY["name"]: _authority(CENTRAL_AUTHORITY)}
    for spec in PROVIDERS:
        organisations[spec["name"]] = _provider(spec)
    for email, name, is_admin, roles, totp in PEOPLE:
        user = _person(email, name, is_admin=is_admin)
        for org_name, role in roles:
            Membership.objects.get_or_create(user=user, organisation=organisations[org_name],
                                             role=role)
        if totp:
            _with_totp(user)
    for email, name, postcode, age_band in CITIZENS:
        _citizen(email, name, postcode, age_band)
    _authority_types(organisations)
    text = login_text()
    logins_file().parent.mkdir(parents=True, exist_ok=True)
    logins_file().write_text(text, encoding="utf-8")
    stdout.write(f"Demo logins written to {logins_file()} ({len(PEOPLE) + len(CITIZENS)} "
                 "accounts; manage.py demo_logins prints them).")


def logins_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-logins.txt"


def login_text() -> str:
    """Every demo login, the shared password and how to get a two-factor code."""
    width = max(len(email) for email, *_ in [*PEOPLE, *CITIZENS]) + 2
    lines = [f"Demo logins. Password for all: {DEMO_PASSWORD}", ""]
    for email, name, is_admin, roles, totp in PEOPLE:
        what = "platform admin" if is_admin else ", ".join(
            f"{role.label.lower()} at {org}" for org, role in roles)
        lines.append(f"  {email:<{width}}{name}, {what}{' (two-factor)' if totp else ''}")
    for email, name, *_ in CITIZENS:
        lines.append(f"  {email:<{width}}{name}, citizen")
    lines += [
        "",
        f"Two-factor accounts share the authenticator secret {DEMO_TOTP_SECRET}.",
        "The current code: .venv/bin/python manage.py totp_code",
    ]
    return "\n".join(lines) + "\n"


def _authority(spec: dict) -> Organisation:
    authority, created = Organisation.objects.get_or_create(
        name=spec["name"], kind=Organisation.Kind.AUTHORITY,
        defaults={**spec, "legal_form": "public_body", "size": "large",
                  "verification_status": "verified"},
    )
    if created:
        audit_record(actor=None, action="organisation.authority_created", obj=authority,
                     organisation_id=authority.pk, summary="Demo authority")
    return authority


def _authority_types(organisations: dict[str, Organisation]) -> None:
    """The platform admin records each demo authority's type, as on a live portal."""
    admin = User.objects.get(email=PEOPLE[0][0])
    for name, authority_type in ((AUTHORITY["name"], Organisation.AuthorityType.SUB_CENTRAL),
                                 (CENTRAL_AUTHORITY["name"], Organisation.AuthorityType.CENTRAL)):
        if organisations[name].authority_type != authority_type:
            organisation_authority_type_set(actor=admin, organisation=organisations[name],
                                            authority_type=authority_type)


def _provider(spec: dict) -> Organisation:
    spec = dict(spec)
    days_waiting = spec.pop("days_waiting", 0)
    organisation, created = Organisation.objects.get_or_create(
        name=spec["name"], kind=Organisation.Kind.PROVIDER,
        defaults={**spec, "address_line_1": "1 Market Street", "postcode": "LS1 4DY",
                  "submitted_at": timezone.now() - timedelta(days=days_waiting)},
    )
    if created:
        audit_record(actor=None, action="organisation.registered", obj=organisation,
                     organisation_id=organisation.pk, summary="Demo organisation")
    return organisation


def _person(email: str, name: str, *, is_admin: bool) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "is_platform_admin": is_admin,
                               "is_staff": is_admin, "is_superuser": is_admin})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _with_totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def _citizen(email: str, name: str, postcode: str, age_band: str) -> None:
    user = _person(email, name, is_admin=False)
    CitizenProfile.objects.get_or_create(user=user, defaults={
        "postcode": postcode, "age_band": age_band, "consent_given_at": timezone.now(),
        "consent_version": "2026-11"})
