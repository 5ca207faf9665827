from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.my_training, name="my_training"),
    path("events/<uuid:event_id>/enrol/", views.enrol_self, name="enrol_self"),
    path("enrolments/<uuid:enrolment_id>/cancel/", views.enrolment_cancel, name="cancel"),
    path("trainees/", views.trainees, name="trainees"),
    path("registry/", views.registry, name="registry"),
    path("registry/settings/", views.settings_edit, name="settings"),
    path("registry/courses/new/", views.course_create, name="course_create"),
    path("registry/courses/<uuid:course_id>/", views.course_detail, name="course"),
    path("registry/courses/<uuid:course_id>/edit/", views.course_edit, name="course_edit"),
    path("registry/events/new/", views.event_create, name="event_create"),
    path("registry/import/", views.import_upload, name="import"),
    path("events/<uuid:event_id>/", views.event_detail, name="event"),
    path("events/<uuid:event_id>/enrol-staff/", views.enrol_other, name="enrol_other"),
    path("events/<uuid:event_id>/capacity/", views.capacity_edit, name="capacity"),
    path("events/<uuid:event_id>/attendance/", views.attendance, name="attendance"),
]
