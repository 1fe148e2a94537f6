"""Factories for the people and organisations every test needs."""

import factory
from django.utils import timezone

from accounts.models import CitizenProfile, User
from organisations.models import Membership, Organisation, Role

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class PlatformAdminFactory(UserFactory):
    is_platform_admin = True
    is_staff = True


class CitizenFactory(UserFactory):
    profile = factory.RelatedFactory(
        "tests.factories.CitizenProfileFactory", factory_related_name="user"
    )


class CitizenProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitizenProfile

    user = factory.SubFactory(UserFactory)
    postcode = "LS1 1UR"
    age_band = CitizenProfile.AgeBand.AGE_35_44
    consent_given_at = factory.LazyFunction(timezone.now)
    consent_version = "2026-11"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.PROVIDER
    name = factory.Sequence(lambda n: f"Community Trust {n}")
    legal_form = Organisation.LegalForm.CIO
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")
    address_line_1 = "1 High Street"
    town = "Leeds"
    postcode = "LS1 1UR"
    size = Organisation.Size.SMALL
    is_vcse = True
    verification_status = Organisation.Verification.VERIFIED


class AuthorityFactory(OrganisationFactory):
    kind = Organisation.Kind.AUTHORITY
    name = factory.Sequence(lambda n: f"Borough Council {n}")
    legal_form = Organisation.LegalForm.PUBLIC_BODY
    charity_number = ""
    authority_code = factory.Sequence(
        lambda n: "".join(chr(65 + (n // 26**i) % 26) for i in (2, 1, 0)))
    size = Organisation.Size.LARGE
    is_vcse = False


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PROVIDER_ADMIN


def member(organisation: Organisation, role: str, **user_fields) -> User:
    """A new user holding `role` in `organisation`."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def with_totp(user: User) -> User:
    """Give the user an activated authenticator app, as allauth stores it."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return user
