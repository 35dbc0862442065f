"""ASGI entry point: `townhall serve` runs this application.

Django sits behind `HotPath`, which answers repeated anonymous thread and count reads from
memory (see `townhall.live.hotpath`); every other request goes to Django, whose synchronous
work runs on a few reused threads (see `townhall.core.threads`).
"""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.config.settings")

django_application = get_asgi_application()

from django.conf import settings  # noqa: E402

from townhall.core.threads import SyncThreads  # noqa: E402
from townhall.live.hotpath import HotPath  # noqa: E402 - needs Django set up first

application = HotPath(SyncThreads(django_application, size=settings.TOWNHALL_SYNC_THREADS))

# Everything loaded so far lives as long as the process: keep it out of the garbage
# collector's full passes, which would otherwise stall the event loop for milliseconds.
gc.freeze()
