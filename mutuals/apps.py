from django.apps import AppConfig


class MutualsConfig(AppConfig):
    name = "mutuals"
    verbose_name = "Public service mutuals"

    def ready(self) -> None:
        from mutuals import navigation

        navigation.register_items()
