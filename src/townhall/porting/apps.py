from django.apps import AppConfig


class PortingConfig(AppConfig):
    name = "townhall.porting"
    label = "porting"
