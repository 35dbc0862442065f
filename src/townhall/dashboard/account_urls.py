from django.urls import path

from townhall.dashboard import account_views

app_name = "accounts"
urlpatterns = [
    path("", account_views.home, name="home"),
    path("sign-in/", account_views.sign_in, name="sign-in"),
    path("sign-out/", account_views.sign_out, name="sign-out"),
    path("forgot-password/", account_views.forgot_password, name="forgot-password"),
    path("profile/", account_views.profile, name="profile"),
    path("comments/", account_views.my_comments, name="comments"),
    path("notifications/", account_views.notifications, name="notifications"),
    path("delete/", account_views.delete_account, name="delete"),
    path("verify/", account_views.verify, name="verify"),
    path("reset-password/", account_views.reset_password, name="reset-password"),
    path("sso-link/", account_views.sso_link, name="sso-link"),
    path("totp-undo/", account_views.totp_undo, name="totp-undo"),
]
