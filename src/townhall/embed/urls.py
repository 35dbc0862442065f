from django.urls import path

from townhall.embed import views

app_name = "embed"
urlpatterns = [
    path("", views.index, name="index"),
]
