from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Imported here, not at the top: they use models (Django app loading).
        from django.contrib.auth.signals import user_logged_in

        from . import provisioning, sessions
        from .roles import remember_roles

        user_logged_in.connect(remember_roles, dispatch_uid="werktop-logging-roles")
        sessions.connect()  # the login time, for the absolute session time-out
        provisioning.connect()  # role groups in the national schema and every clone
