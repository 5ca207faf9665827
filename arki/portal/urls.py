from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("open/<str:token>/", views.open_link, name="open"),
    path("logout/", views.logout, name="logout"),
    path("language/", views.set_language, name="language"),
    path("children/<uuid:child_id>/", views.child_page, name="child"),
    path("children/<uuid:child_id>/log/", views.access_log, name="access_log"),
    path("children/<uuid:child_id>/prepare/", views.prepare, name="prepare"),
    path(
        "children/<uuid:child_id>/discussions/<uuid:discussion_id>/prepare/",
        views.prepare_discussion,
        name="prepare_discussion",
    ),
    path(
        "children/<uuid:child_id>/meetings/<uuid:meeting_id>/prepare/",
        views.prepare_meeting,
        name="prepare_meeting",
    ),
    path(
        "children/<uuid:child_id>/invitees/<uuid:invitee_id>/decide/",
        views.invitee_decide,
        name="invitee_decide",
    ),
    path(
        "children/<uuid:child_id>/invitees/<uuid:invitee_id>/consent/",
        views.consent_give,
        name="consent_give",
    ),
    path(
        "children/<uuid:child_id>/consents/<uuid:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "children/<uuid:child_id>/proposals/<uuid:proposal_id>/decide/",
        views.proposal_decide,
        name="proposal_decide",
    ),
    path(
        "children/<uuid:child_id>/meeting-reports/<uuid:meeting_id>/",
        views.family_report,
        name="meeting_report",
    ),
    path(
        "children/<uuid:child_id>/meeting-reports/<uuid:meeting_id>/pdf/",
        views.family_report_pdf,
        name="meeting_report_pdf",
    ),
    # The worker's side.
    path("staff/children/<uuid:child_id>/links/new/", views.link_new, name="link_new"),
    path("staff/links/<uuid:link_id>/revoke/", views.link_revoke, name="link_revoke"),
    path("staff/sessions/<uuid:session_id>/end/", views.session_revoke, name="session_revoke"),
]
