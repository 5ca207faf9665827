from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("results/", views.results, name="results"),
    path("questions/", views.questions, name="questions"),
    path("<str:token>/", views.answer, name="answer"),
]
