from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "arki.demo"
    verbose_name = "demo data"
