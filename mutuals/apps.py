from django.apps import AppConfig


class MutualsConfig(AppConfig):
    name = "mutuals"
