from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("new/", views.child_create, name="child_create"),
    path("unit/", views.unit_children, name="unit_children"),
    path("<uuid:child_id>/", views.child_detail, name="child_detail"),
    path("<uuid:child_id>/edit/", views.child_edit, name="child_edit"),
    path("<uuid:child_id>/guardians/new/", views.guardian_create, name="guardian_create"),
    path("<uuid:child_id>/network/new/", views.network_person_create, name="network_create"),
]
