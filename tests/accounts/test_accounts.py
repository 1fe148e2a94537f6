import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from accounts.models import CitizenProfile, User
from organisations.models import Role
from tests import factories


def test_a_person_signs_up_and_must_verify_their_email(client, db):
    response = client.post(reverse("account_signup"), {
        "full_name": "Ada Lovelace", "email": "ada@example.org",
        "password1": "a-long-enough-password", "password2": "a-long-enough-password",
    })
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert user.full_name == "Ada Lovelace"
    assert len(mail.outbox) == 1 and "ada@example.org" in mail.outbox[0].to
    assert client.get(reverse("core:dashboard")).status_code == 302  # not signed in yet


def test_a_citizen_gives_minimal_data_and_consent(client, db):
    data = {"full_name": "Rosa Martin", "email": "rosa@example.org",
            "password1": "a-long-enough-password", "password2": "a-long-enough-password",
            "postcode": "ls27hy", "age_band": "25-34"}
    response = client.post(reverse("accounts:citizen_signup"), data)
    assert response.status_code == 200
    assert "You must agree" in response.content.decode()
    assert not User.objects.filter(email="rosa@example.org").exists()
    response = client.post(reverse("accounts:citizen_signup"), {**data, "consent": "on"})
    assert response.status_code == 302
    profile = CitizenProfile.objects.get(user__email="rosa@example.org")
    assert (profile.postcode, profile.age_band) == ("LS2 7HY", "25-34")


def test_failed_logins_are_rate_limited(client, db):
    user = factories.UserFactory()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "no"})
        assert "Too many failed login attempts" not in response.content.decode()
    # The sixth try is refused even with the right password.
    response = client.post(reverse("account_login"),
                           {"login": user.email, "password": factories.TEST_PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [Role.AUTHORITY_ADMIN, Role.COMMISSIONER, Role.EVALUATOR,
                                  Role.GRANT_MANAGER, Role.CONTRACT_MANAGER])
def test_authority_staff_must_set_up_mfa_before_any_staff_page(client, authority, role):
    user = factories.member(authority, role)
    client.force_login(user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    factories.with_totp(user)
    client.force_login(user)  # signed in again, this time with the app's code
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_platform_admins_need_mfa_for_the_django_admin(client, db):
    admin = factories.PlatformAdminFactory()
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302
    factories.with_totp(admin)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


def test_providers_and_citizens_do_not_need_mfa(client, provider_admin, citizen):
    for user in (provider_admin, citizen):
        client.force_login(user)
        assert client.get(reverse("core:dashboard")).status_code == 200


def test_the_admin_login_goes_through_the_portal_sign_in(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_cannot_remove_their_authenticator(commissioner):
    from allauth.mfa.adapter import get_adapter

    totp = Authenticator.objects.get(user=commissioner, type=Authenticator.Type.TOTP)
    assert not get_adapter().can_delete_authenticator(totp)


def test_a_citizen_dashboard_explains_panels(client, citizen):
    client.force_login(citizen)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Citizens&#x27; panels" in html or "Citizens' panels" in html
    assert "Register your organisation" not in html
