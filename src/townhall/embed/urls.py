from django.urls import path, re_path

from townhall.embed import views

app_name = "embed"
urlpatterns = [
    path("", views.index, name="index"),
    path("embed.js", views.loader, name="loader"),
    path("embed/app.js", views.app, name="app"),
    path("embed/counts.js", views.counts, name="counts"),
    re_path(r"^embed/(?P<version>[0-9a-f]{12})/(?P<name>[a-z][a-z0-9-]*\.js)$", views.module,
            name="module"),
]
