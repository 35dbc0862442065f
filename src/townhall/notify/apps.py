from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "townhall.notify"
    label = "notify"

    def ready(self) -> None:
        from townhall.notify import hooks

        hooks.connect()
