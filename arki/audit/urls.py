from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("children/<uuid:child_id>/", views.child_log, name="child_log"),
]
