from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "townhall.comments"
    label = "comments"
