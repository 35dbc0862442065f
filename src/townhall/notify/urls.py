"""Notification pages: mounted at the root, before the dashboard's /moderation/ prefix."""

from django.urls import path

from townhall.notify import views

urlpatterns = [
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("moderation/webhooks/", views.webhooks_page, name="webhooks"),
]
