from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from accounts.policy import require_mfa_when
        from organisations import navigation  # noqa: F401  (registers menu items and panels)
        from organisations.selectors import is_authority_staff

        # Anyone holding an authority role must use two-factor authentication.
        require_mfa_when(lambda user: is_authority_staff(user=user))
