from django.urls import path

from .views import meeting, record, report

app_name = "meetings"
M = "children/<uuid:child_id>/<uuid:meeting_id>/"
urlpatterns = [
    path("children/<uuid:child_id>/new/", meeting.plan, name="plan"),
    path("answer/<str:token>/", meeting.answer, name="answer"),
    path("children/<uuid:child_id>/<uuid:meeting_id>/", meeting.detail, name="detail"),
    # The meeting itself and its report (before the generic actions below).
    path(M + "phases/<slug:phase>/", record.phase_note, name="phase_note"),
    path(M + "record/held/", record.hold, name="hold"),
    path(M + "record/responsible/", record.responsible, name="responsible"),
    path(M + "reports/new/", report.report_create, name="report_create"),
    path(M + "reports/<uuid:report_id>/", report.report_view, name="report"),
    path(M + "reports/<uuid:report_id>/pdf/", report.report_pdf, name="report_pdf"),
    path(M + "reports/<uuid:report_id>/send/", report.report_send, name="report_send"),
    path("children/<uuid:child_id>/<uuid:meeting_id>/<slug:action>/", meeting.act, name="act"),
]
