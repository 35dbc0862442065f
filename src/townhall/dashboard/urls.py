from django.urls import path

from townhall.dashboard import notice_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("your-name/", views.your_name, name="your-name"),
    path("queue/<slug:queue>/", views.queue, name="queue"),
    path("counts/", views.counts, name="counts"),
    path("picks/", views.picks, name="picks"),
    path("comments/<int:comment_id>/", views.comment_page, name="comment"),
    path("comments/<int:comment_id>/decide/", views.decide, name="decide"),
    path("comments/<int:comment_id>/claim/", views.claim, name="claim"),
    path("comments/<int:comment_id>/card/", views.card, name="card"),
    path("comments/<int:comment_id>/appeal/", views.appeal_decide, name="appeal-decide"),
    path("bulk/", views.bulk, name="bulk"),
    path("decisions/<int:decision_id>/undo/", views.undo, name="undo"),
    path("decisions/undo/", views.undo_bulk, name="undo-bulk"),
    path("accounts/<int:account_id>/", views.account_page, name="account"),
    path("actions/<int:action_id>/lift/", views.action_lift, name="action-lift"),
    path("stories/", views.stories, name="stories"),
    path("sites/<slug:site>/settings/", views.site_settings, name="site-settings"),
    path("staff/", views.staff, name="staff"),
    path("stats/", views.stats_page, name="stats"),
    path("decisions.csv", views.export, name="export"),
    path("audit/", views.audit, name="audit"),
    path("audit.csv", views.audit_csv, name="audit-csv"),
    path("notices/", notice_views.notices, name="notices"),
    path("notices/<int:notice_id>/", notice_views.notice_page, name="notice"),
    path("trusted-flaggers/", notice_views.trusted_flaggers, name="trusted-flaggers"),
]
