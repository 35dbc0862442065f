from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "townhall.comments"
    label = "comments"

    def ready(self) -> None:
        from townhall.comments import postconfig

        postconfig.connect()
