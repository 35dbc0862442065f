from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "townhall.stories"
    label = "stories"
