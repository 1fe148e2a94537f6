from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"

    def ready(self) -> None:
        from grants import navigation, rules  # noqa: F401  (rules registers the permissions)

        navigation.register_items()
