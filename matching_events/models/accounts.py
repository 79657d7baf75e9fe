"""Portal accounts: a login for an employer's contact person or for a candidate.

Optional: everything on the portal also works without one (e-mail links). A user is linked to
at most one employer or one candidate; the employer or candidate never needs a user. Created
only by `matching_events.services.accounts`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from relations.models import Candidate, ContactPerson, Employer


class EmployerAccount(models.Model):
    """A user who acts for an employer on the portal (invited by the relationship manager)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="employer_account", verbose_name=_("user"))
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE,
                                 related_name="portal_accounts", verbose_name=_("employer"))
    contact = models.ForeignKey(ContactPerson, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("contact person"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("employer portal account")
        verbose_name_plural = _("employer portal accounts")

    def __str__(self) -> str:
        return f"{self.user} – {self.employer}"


class CandidateAccount(models.Model):
    """A candidate's own login (made from the "my registrations" page)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="candidate_account", verbose_name=_("user"))
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE,
                                     related_name="portal_account", verbose_name=_("candidate"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidate portal account")
        verbose_name_plural = _("candidate portal accounts")

    def __str__(self) -> str:
        return f"{self.user} – {self.candidate}"
