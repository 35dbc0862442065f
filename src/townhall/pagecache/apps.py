from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "townhall.pagecache"
    label = "pagecache"

    def ready(self) -> None:
        from townhall.pagecache import readcache
        from townhall.stories import signals

        signals.story_versions_changed.connect(readcache.on_versions_changed,
                                               dispatch_uid="pagecache.versions")
