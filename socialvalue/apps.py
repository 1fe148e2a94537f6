from django.apps import AppConfig


class SocialvalueConfig(AppConfig):
    name = "socialvalue"
    verbose_name = "Social value"

    def ready(self) -> None:
        from socialvalue import navigation

        navigation.register_items()
