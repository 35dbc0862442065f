from django.urls import path

from townhall.embed import views

app_name = "embed"
urlpatterns = [
    path("", views.index, name="index"),
    path("embed.js", views.loader, name="loader"),
    path("embed/app.js", views.app, name="app"),
    path("embed/counts.js", views.counts, name="counts"),
]
