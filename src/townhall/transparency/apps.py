from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "townhall.transparency"
    label = "transparency"
