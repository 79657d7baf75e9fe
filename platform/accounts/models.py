"""Users: one table per schema (a municipality's users never exist in another schema)."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Logs in with an e-mail address; no user name."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class RolePermissions(models.Model):
    """Holds the platform's own permissions; no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("access_workspace", "Can use the municipal workspace"),
            ("view_all_candidates", "Can see every candidate of the municipality"),
            ("erase_candidates", "Can erase a candidate's file"),
            ("hand_over_portfolios", "Can hand candidates over to a colleague"),
            ("view_audit_log", "Can read the municipality's audit trail"),
            ("manage_retention", "Can set how long closed candidate files are kept"),
            ("handle_all_signals", "Can see and dismiss every signal of the municipality"),
            ("run_all_meetups", "Can change and run every meetup, not only one's own"),
            ("manage_targets", "Can set targets and the project period"),
            ("manage_subscription", "Can see invoices and manage the subscription"),
            ("edit_portal", "Can edit the public portal"),
            ("access_employer_portal", "Can use the employer pages of the portal"),
            ("access_candidate_portal", "Can use the candidate pages of the portal"),
            ("view_ministry_dashboard", "Can see the ministry dashboard"),
            ("operate_platform", "Can operate the platform"),
        ]

    def __str__(self) -> str:
        return "role permissions"
