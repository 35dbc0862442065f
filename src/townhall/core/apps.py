from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "townhall.core"
    label = "core"

    def ready(self) -> None:
        from django.conf import settings

        if not settings.TOWNHALL_RATELIMIT:
            import logging

            logging.getLogger("townhall").warning(
                "TOWNHALL_RATELIMIT=off: rate limits are disabled. "
                "Never run like this in production."
            )
