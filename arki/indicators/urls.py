from django.urls import path, re_path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^export\.(?P<fmt>csv|xlsx|pdf)$", views.export, name="export"),
    path("referrals/", views.referrals, name="referrals"),
]
