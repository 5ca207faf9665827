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
]
