from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "arki.feedback"
