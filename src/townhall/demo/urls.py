from django.urls import path

from townhall.demo import views

app_name = "demo"
urlpatterns = [
    path("", views.front_page, name="front"),
]
