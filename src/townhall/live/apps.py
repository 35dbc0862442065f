from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "townhall.live"
    label = "live"

    def ready(self) -> None:
        from townhall.live import receivers

        receivers.connect()
