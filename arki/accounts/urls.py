from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.ArkiLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("membership/", views.switch_membership, name="switch_membership"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("password/", views.password_change, name="password_change"),
    path("sso/<slug:slug>/start/", views.sso_start, name="sso_start"),
    path("sso/<slug:slug>/callback/", views.sso_callback, name="sso_callback"),
    path("sso/groups/", views.group_mappings, name="group_mappings"),
    path("sso/groups/<uuid:pk>/delete/", views.group_mapping_delete, name="group_mapping_delete"),
]
