from django.urls import path

from townhall.dashboard import account_views

app_name = "accounts"
urlpatterns = [
    path("verify/", account_views.verify, name="verify"),
    path("reset-password/", account_views.reset_password, name="reset-password"),
]
