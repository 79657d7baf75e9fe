"""What employers offer (opportunities, sector pledges) and what came of it (placements)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relations.models import Candidate, Employer, NextAction, Weekday
from relations.reference import SBI_CHOICES
from relations.validators import validate_postcode

User = settings.AUTH_USER_MODEL


class OpportunityKind(models.TextChoices):
    JOB = "job", _("regular job")
    WORK_EXPERIENCE = "work_experience", _("work-experience place")
    TRIAL = "trial", _("trial placement")
    OPEN_TO_MEET = "open_to_meet", _("open to meet people")


class Opportunity(models.Model):
    Kind = OpportunityKind

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AWAITING_REVIEW = "awaiting_review", _("awaiting review")
        OPEN = "open", _("open")
        FILLED = "filled", _("filled")
        CLOSED = "closed", _("closed")

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE,
        related_name="opportunities")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JOB)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sector = models.CharField(_("sector (SBI)"), max_length=1, choices=SBI_CHOICES, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)])
    days = ArrayField(
        models.CharField(max_length=2, choices=Weekday.choices), default=list, blank=True,
        verbose_name=_("working days"))
    location = models.CharField(_("place of work"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode of the workplace"), max_length=7, blank=True, validators=[validate_postcode])
    places = models.PositiveSmallIntegerField(
        _("number of places"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)])
    start_date = models.DateField(_("start date"), null=True, blank=True)
    driving_licence_required = models.BooleanField(_("driving licence required"), default=False)
    languages = models.CharField(
        _("languages needed"), max_length=200, blank=True, help_text=_("For example: Dutch."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_on_portal = models.BooleanField(
        _("show on the public portal"), default=False,
        help_text=_("Only when the employer agreed to publish this opportunity."))
    posted_via_portal = models.BooleanField(default=False, editable=False)
    posted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "kind"]),
                   models.Index(fields=["employer", "status"])]

    def __str__(self) -> str:
        return self.title


class SectorPledge(models.Model):
    """Arena-style promise: "we will take N people from a training group"."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="pledges")
    description = models.CharField(
        _("what was promised"), max_length=300,
        help_text=_("For example: three people from the logistics training group."))
    sector = models.CharField(_("sector (SBI)"), max_length=1, choices=SBI_CHOICES, blank=True)
    places = models.PositiveSmallIntegerField(
        _("number of people"), validators=[MinValueValidator(1), MaxValueValidator(500)])
    made_on = models.DateField(_("date of the pledge"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sector pledge")
        verbose_name_plural = _("sector pledges")
        ordering = ["-made_on", "-pk"]

    def __str__(self) -> str:
        return self.description


class Placement(models.Model):
    class Kind(models.TextChoices):
        JOB = "job", _("regular job")
        WORK_EXPERIENCE = "work_experience", _("work-experience place")
        TRIAL = "trial", _("trial placement")

    class Status(models.TextChoices):
        AGREED = "agreed", _("agreed")
        STARTED = "started", _("started")
        ENDED_EARLY = "ended_early", _("ended early")
        COMPLETED = "completed", _("completed")

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE,
        related_name="placements")
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="placements")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)])
    contract_months = models.PositiveSmallIntegerField(
        _("contract length (months)"), null=True, blank=True,
        validators=[MaxValueValidator(120)], help_text=_("Empty for a permanent contract."))
    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="placements")
    meetup = models.ForeignKey(
        "matching_events.Meetup", verbose_name=_("meetup"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="placements")
    pledge = models.ForeignKey(
        SectorPledge, verbose_name=_("sector pledge"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="placements")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AGREED)
    follow_up = models.OneToOneField(
        NextAction, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="placement")
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["kind", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_start",
                violation_error_message=_("The end date lies before the start date.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}"
