from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "arki.portal"
