from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "arki.notifications"
