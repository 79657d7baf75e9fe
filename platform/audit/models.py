"""An append-only trail of who looked at or changed what. Never personal data of the person
concerned: objects are named by type and id only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")
        ERASE = "erase", _("erased")
        HANDOVER = "handover", _("handed over")
        SHARE = "share", _("shared")
        IMPORT = "import", _("imported")
        LOGIN = "login", _("logged in")
        LOGOUT = "logout", _("logged out")
        LOGIN_FAILED = "login_failed", _("failed login")
        DENIED = "denied", _("was refused")
        # Asked for an object outside the user's reach (answered 404, as if it did not exist).
        REFUSED = "refused", _("was refused access")
        ROLE_CHANGE = "role_change", _("role changed")
        # A change to a candidate's record at a meetup (check-in, outcome, placement, contact).
        CHANGE = "change", _("changed")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL,
        null=True, related_name="+")
    # Kept when the account is removed later: the trail must still say who it was.
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object"), max_length=50)
    object_id = models.CharField(_("number"), max_length=50, blank=True)
    origin = models.GenericIPAddressField(_("from"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"
