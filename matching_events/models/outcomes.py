"""During and after a meetup: the table plan, conversations, match leads and surveys."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from relations.models import Candidate, Employer

from .meetups import Meetup, MeetupEmployer, Registration

User = settings.AUTH_USER_MODEL


class TableSeat(models.Model):
    """One conversation in the rotation: in round N, this candidate sits with this employer."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="seats")
    round_no = models.PositiveSmallIntegerField(_("round"))
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round_no", "employer__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meetup", "round_no", "employer"],
                                    name="seat_employer_once_per_round"),
            models.UniqueConstraint(fields=["meetup", "round_no", "candidate"],
                                    name="seat_candidate_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"round {self.round_no}"


class Answer(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    MAYBE = "maybe", _("maybe")


class Conversation(models.Model):
    """A conversation at a meetup and what both sides say: would you like a follow-up?"""

    Answer = Answer

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="conversations")
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    employer_says = models.CharField(
        _("employer would like a follow-up"), max_length=5, choices=Answer.choices, blank=True)
    candidate_says = models.CharField(
        _("candidate would like a follow-up"), max_length=5, choices=Answer.choices, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(
            fields=["meetup", "employer", "candidate"], name="conversation_once")]

    def __str__(self) -> str:
        return f"{self.employer_says}/{self.candidate_says}"

    @property
    def mutual_yes(self) -> bool:
        return self.employer_says == Answer.YES and self.candidate_says == Answer.YES


class MatchLead(models.Model):
    """A mutual yes. Nobody's contact details go to the other side before the relationship
    manager approves (`approved_at`)."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        APPROVED = "approved", _("introduced")
        CLOSED = "closed", _("closed")

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="lead")
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="match_leads")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="match_leads")
    owner = models.ForeignKey(
        User, verbose_name=_("relationship manager"), on_delete=models.PROTECT,
        related_name="match_leads")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    approved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("match lead")
        verbose_name_plural = _("match leads")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"lead {self.pk}"

    @property
    def contacts_shared(self) -> bool:
        return self.approved_at is not None


def score_field(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])


class SurveyResponse(models.Model):
    """A short satisfaction survey after a meetup (1 = very unhappy ... 5 = very happy)."""

    class Respondent(models.TextChoices):
        EMPLOYER = "employer", _("employer")
        CANDIDATE = "candidate", _("candidate")

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="survey_responses")
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    registration = models.OneToOneField(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey")
    participation = models.OneToOneField(
        MeetupEmployer, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey")
    approach = score_field(_("How satisfied are you with this way of meeting?"))
    relationship_manager = score_field(
        _("How satisfied are you with the relationship manager?"))
    self_efficacy = score_field(_("I believe I can find work that suits me."))
    comment = models.TextField(_("Anything else you want to tell us?"), blank=True,
                               max_length=2000)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # No "has a respondent" constraint: erasing a candidate or an employer keeps their
        # answers as anonymous scores (matching_events.privacy).
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.respondent} {self.submitted_at:%Y-%m-%d}"
