"""URL routing: the JSON API, the embed, account pages, the dashboard and the demo."""

from django.urls import include, path

from townhall.api.v1 import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("townhall.embed.urls")),
    path("accounts/", include("townhall.dashboard.account_urls")),
    path("moderation/", include("townhall.dashboard.urls")),
    path("demo/", include("townhall.demo.urls")),
]
