from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("children/<uuid:child_id>/", views.child_log, name="child_log"),
    path("access-requests/", views.access_requests, name="access_requests"),
    path("access-requests/new/", views.access_request_create, name="access_request_create"),
    path("access-requests/<uuid:request_id>/", views.access_request_detail, name="access_request"),
    path(
        "access-requests/<uuid:request_id>/report.csv",
        views.access_request_csv,
        name="access_request_csv",
    ),
    path(
        "access-requests/<uuid:request_id>/report.pdf",
        views.access_request_pdf,
        name="access_request_pdf",
    ),
]
