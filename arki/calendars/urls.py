from django.urls import path

from . import views

app_name = "calendars"
urlpatterns = [
    path("", views.my_calendar, name="my_calendar"),
    path("busy/add/", views.busy_add, name="busy_add"),
    path("busy/<uuid:busy_id>/delete/", views.busy_delete, name="busy_delete"),
    path("busy/import/", views.busy_import, name="busy_import"),
    path("busy/clear-imported/", views.busy_clear, name="busy_clear"),
    path("slots/", views.slots, name="slots"),
    path("slots/<uuid:slot_id>/remove/", views.slot_remove, name="slot_remove"),
    path(
        "meetings/<uuid:child_id>/<uuid:meeting_id>/times/",
        views.meeting_times,
        name="meeting_times",
    ),
]
