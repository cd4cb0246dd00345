from django.apps import AppConfig


class PlainAppConfig(AppConfig):
    name = "tests.bad_plugins.plain_app"
