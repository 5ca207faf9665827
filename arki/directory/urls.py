from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("entries/new/", views.entry_edit, name="entry_create"),
    path("entries/<uuid:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path("children/<uuid:child_id>/consult/", views.consult, name="consult"),
    path("inbox/", views.inbox, name="inbox"),
    path("consultations/", views.my_consultations, name="my_consultations"),
    path(
        "consultations/<uuid:consultation_id>/",
        views.consultation_detail,
        name="consultation_detail",
    ),
    path(
        "consultations/<uuid:consultation_id>/answer/",
        views.consultation_answer,
        name="consultation_answer",
    ),
    path(
        "consultations/<uuid:consultation_id>/close/",
        views.consultation_close,
        name="consultation_close",
    ),
]
