from django.urls import path

from . import views

app_name = "methods"
urlpatterns = [
    # Staff.
    path("manage/", views.staff_list, name="staff_list"),
    path("manage/new/", views.method_edit, name="method_create"),
    path("manage/import/", views.catalogue_import, name="import"),
    path("manage/export.<str:fmt>", views.catalogue_export, name="export"),
    path("manage/<slug:slug>/", views.staff_detail, name="staff_detail"),
    path("manage/<slug:slug>/edit/", views.method_edit, name="method_edit"),
    path("manage/<slug:slug>/inclusion/", views.inclusion, name="inclusion"),
    path("manage/<slug:slug>/references/", views.reference_add, name="reference_add"),
    path("manage/<slug:slug>/ratings/", views.rating_add, name="rating_add"),
    path("manage/<slug:slug>/workflow/<str:step>/", views.workflow, name="workflow"),
    path("manage/<slug:slug>/evaluation/", views.evaluation, name="evaluation"),
    # Public, without login: each region's published catalogue.
    path("", views.public_index, name="public_index"),
    path("<slug:region>/", views.public_list, name="public_list"),
    path("<slug:region>/catalogue.json", views.public_list_json, name="public_list_json"),
    path("<slug:region>/<slug:slug>/", views.public_detail, name="public_detail"),
    path("<slug:region>/<slug:slug>/v<int:number>/", views.public_detail, name="public_version"),
    path(
        "<slug:region>/<slug:slug>/v<int:number>.json",
        views.public_version_json,
        name="public_version_json",
    ),
]
