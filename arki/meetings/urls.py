from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("children/<uuid:child_id>/new/", views.plan, name="plan"),
    path("answer/<str:token>/", views.answer, name="answer"),
    path("children/<uuid:child_id>/<uuid:meeting_id>/", views.detail, name="detail"),
    path("children/<uuid:child_id>/<uuid:meeting_id>/<slug:action>/", views.act, name="act"),
]
