from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = "Citizen panels"

    def ready(self) -> None:
        from citizens import navigation, rules  # noqa: F401  (rules registers the permissions)

        navigation.register_items()
