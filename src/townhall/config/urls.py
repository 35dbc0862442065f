"""URL routing: the JSON API, the embed, account pages, the dashboard and the demo."""

from django.contrib.staticfiles.views import serve as static_serve
from django.urls import include, path, re_path

from townhall.api.v1 import api
from townhall.dashboard import views as dashboard_views
from townhall.live import views as live_views

urlpatterns = [
    # Server-Sent Events: async views outside ninja, before the API so they match first.
    path("api/v1/sites/<str:site>/stories/<str:external_id>/events", live_views.story_events,
         name="live-story-events"),
    path("api/v1/moderation/events", live_views.moderation_events, name="live-moderation-events"),
    path("api/v1/me/events", live_views.reader_events, name="live-reader-events"),
    path("api/", api.urls),
    path("", include("townhall.embed.urls")),
    path("accounts/", include("townhall.dashboard.account_urls")),
    # Notification pages (unsubscribe, /moderation/webhooks/) before the dashboard's prefix.
    path("", include("townhall.notify.urls")),
    path("transparency/", include("townhall.transparency.urls")),
    path("", include("townhall.ops.urls")),
    path("moderation/", include("townhall.dashboard.urls")),
    path("guidelines/<slug:site>/", dashboard_views.guidelines_page, name="guidelines"),
    path("demo/", include("townhall.demo.urls")),
    # Stylesheets and images of the pages, straight from the apps (a proxy may serve
    # `collectstatic` output instead); the embed scripts have their own cached views.
    re_path(r"^static/(?P<path>.*)$", static_serve, {"insecure": True}),
]

# Framework-level refusals: the API's JSON shape under /api/, styled pages elsewhere.
handler400 = "townhall.core.http_errors.bad_request"
handler403 = "townhall.core.http_errors.permission_denied"
handler404 = "townhall.core.http_errors.page_not_found"
handler500 = "townhall.core.http_errors.server_error"
