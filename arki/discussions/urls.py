from django.urls import path

from . import views

app_name = "discussions"
base = "children/<uuid:child_id>/<uuid:discussion_id>/"
urlpatterns = [
    path("children/<uuid:child_id>/new/", views.offer, name="offer"),
    path("export/dates.csv", views.dates_export, name="dates_export"),
    path(base, views.detail, name="detail"),
    path(base + "respond/", views.respond, name="respond"),
    path(base + "sessions/", views.session_add, name="session_add"),
    path(base + "observations/", views.observation_add, name="observation_add"),
    path(
        base + "observations/<uuid:observation_id>/remove/",
        views.observation_remove,
        name="observation_remove",
    ),
    path(base + "notes/<uuid:section_id>/", views.note_save, name="note_save"),
    path(base + "actions/", views.action_add, name="action_add"),
    path(base + "actions/<uuid:item_id>/", views.action_change, name="action_change"),
    path(base + "summary/", views.summary_save, name="summary_save"),
    path(base + "close/", views.close, name="close"),
    path(base + "plan.pdf", views.plan_pdf, name="plan_pdf"),
    path(base + "logbook/", views.logbook_print, name="logbook_print"),
]
