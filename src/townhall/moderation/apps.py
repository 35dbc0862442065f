from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "townhall.moderation"
    label = "moderation"

    def ready(self) -> None:
        from townhall.moderation import receivers

        receivers.connect()
