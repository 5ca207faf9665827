from django.urls import path

from . import record_views, report_views, views

app_name = "meetings"
M = "children/<uuid:child_id>/<uuid:meeting_id>/"
urlpatterns = [
    path("children/<uuid:child_id>/new/", views.plan, name="plan"),
    path("answer/<str:token>/", views.answer, name="answer"),
    path("children/<uuid:child_id>/<uuid:meeting_id>/", views.detail, name="detail"),
    # The meeting itself and its report (before the generic actions below).
    path(M + "phases/<slug:phase>/", record_views.phase_note, name="phase_note"),
    path(M + "record/held/", record_views.hold, name="hold"),
    path(M + "record/responsible/", record_views.responsible, name="responsible"),
    path(M + "reports/new/", report_views.report_create, name="report_create"),
    path(M + "reports/<uuid:report_id>/", report_views.report_view, name="report"),
    path(M + "reports/<uuid:report_id>/pdf/", report_views.report_pdf, name="report_pdf"),
    path(M + "reports/<uuid:report_id>/send/", report_views.report_send, name="report_send"),
    path("children/<uuid:child_id>/<uuid:meeting_id>/<slug:action>/", views.act, name="act"),
]
