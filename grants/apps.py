from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"

    def ready(self) -> None:
        from grants import navigation, rules, socialvalue_links  # noqa: F401  (rules registers)

        navigation.register_items()
        socialvalue_links.register()
