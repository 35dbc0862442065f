from django.urls import path

from townhall.demo import views

app_name = "demo"
urlpatterns = [
    path("", views.front_page, name="front"),
    path("stories/<str:external_id>/", views.story_page, name="story"),
    path("guidelines/", views.guidelines, name="guidelines"),
]
