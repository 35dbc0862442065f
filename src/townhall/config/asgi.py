"""ASGI entry point: `townhall serve` runs this application."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.config.settings")

application = get_asgi_application()
