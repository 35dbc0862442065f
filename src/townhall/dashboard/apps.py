from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "townhall.dashboard"
    label = "dashboard"
