"""Prettig gesprek: a meetup of several employers and several candidates, and who comes."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from relations.models import Candidate, ContactPerson, Employer
from relations.reference import SBI_CHOICES

User = settings.AUTH_USER_MODEL


class Meetup(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        FULL = "full", _("full")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    # Registration is open in these states (FULL: onto the waiting list).
    OPEN_STATES = (Status.PUBLISHED, Status.FULL)

    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    sector = models.CharField(_("sector (SBI)"), max_length=1, choices=SBI_CHOICES, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(
        _("date and time"), null=True, blank=True,
        help_text=_("Empty while the date is still being chosen with the employers."))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=90,
        validators=[MinValueValidator(15), MaxValueValidator(480)])
    round_minutes = models.PositiveSmallIntegerField(
        _("length of one conversation (minutes)"), default=10,
        validators=[MinValueValidator(5), MaxValueValidator(60)])
    location_name = models.CharField(_("location"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    accessibility_notes = models.TextField(
        _("accessibility"), blank=True,
        help_text=_("For example: step-free entrance, lift, accessible toilet."))
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places for candidates"), default=12,
        validators=[MinValueValidator(1), MaxValueValidator(1000)])
    registration_deadline = models.DateTimeField(_("register until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    organiser = models.ForeignKey(
        User, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="meetups")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meetup")
        verbose_name_plural = _("meetups")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"]),
                   models.Index(fields=["organiser", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self):
        if self.starts_at is None:
            return None
        from datetime import timedelta
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def rounds(self) -> int:
        return max(1, self.duration_minutes // self.round_minutes)


class MeetupEmployer(models.Model):
    """An employer taking part: invited, then confirmed or declined."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="employers")
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE,
        related_name="meetup_participations")
    contact = models.ForeignKey(
        ContactPerson, verbose_name=_("contact person"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    attended = models.BooleanField(_("present"), null=True, blank=True)
    # Rotated when the invitation is sent again: older links stop working.
    link_key = models.UUIDField(default=uuid.uuid4, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participating employer")
        verbose_name_plural = _("participating employers")
        ordering = ["employer__name", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["meetup", "employer"], name="meetup_employer_once",
            violation_error_message=_("This employer is already invited."))]

    def __str__(self) -> str:
        return f"{self.employer} @ {self.meetup}"


class ProposedDate(models.Model):
    """Scheduling: one of the two to four dates the relationship manager proposes."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="proposed_dates")
    starts_at = models.DateTimeField(_("date and time"))

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["meetup", "starts_at"], name="proposed_date_once")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class DateAnswer(models.Model):
    """An invited employer's answer: does this proposed date suit them?"""

    proposed_date = models.ForeignKey(
        ProposedDate, on_delete=models.CASCADE, related_name="answers")
    participation = models.ForeignKey(
        MeetupEmployer, on_delete=models.CASCADE, related_name="date_answers")
    suits = models.BooleanField(_("suits"))

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["proposed_date", "participation"], name="date_answer_once")]

    def __str__(self) -> str:
        return f"{self.proposed_date}: {self.suits}"


class PracticalNeed(models.TextChoices):
    CHILDCARE = "childcare", _("childcare")
    TRANSPORT = "transport", _("transport")
    LANGUAGE = "language", _("language support")
    ACCESSIBILITY = "accessibility", _("accessibility")


class Registration(models.Model):
    """A candidate's place at a meetup. Capacity counts CONFIRMED rows only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for e-mail confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    class Source(models.TextChoices):
        INVITED = "invited", _("invited by the relationship manager")
        PORTAL = "portal", _("registered on the portal")

    ACTIVE = (Status.CONFIRMED, Status.WAITING)

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="registrations")
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE,
        related_name="registrations")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(
        _("how"), max_length=10, choices=Source.choices, default=Source.INVITED)
    needs = ArrayField(
        models.CharField(max_length=15, choices=PracticalNeed.choices), default=list,
        blank=True, verbose_name=_("practical needs"))
    needs_note = models.CharField(_("about these needs"), max_length=500, blank=True)
    interests = models.CharField(_("interests"), max_length=500, blank=True)
    attended = models.BooleanField(_("present"), null=True, blank=True)
    # The candidate record was made by this (portal) registration: erased again if the
    # registration is never confirmed.
    created_candidate = models.BooleanField(default=False, editable=False)
    # Rotated when someone registers again after cancelling: older links stop working.
    link_key = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    waiting_since = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A portal registration's address, normalised and keyed-hashed (`registrations.
    # email_key`): one active portal registration per address per meetup, also when the
    # address somehow maps to two candidate files. A hash, so no second copy of the address
    # outlives the candidate's erasure. Empty for invitations (staff may invite two people
    # who share an address) and for rows from before.
    email_key = models.CharField(max_length=64, blank=True, default="", db_default="",
                                 editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meetup", "candidate"], name="registration_once",
                violation_error_message=_("This candidate is already registered.")),
            models.UniqueConstraint(
                fields=["meetup", "email_key"],
                condition=~models.Q(email_key="") & ~models.Q(status="cancelled"),
                name="registration_portal_email_once",
                violation_error_message=_("This e-mail address is already registered.")),
        ]
        indexes = [models.Index(fields=["meetup", "status", "waiting_since"])]

    def __str__(self) -> str:
        return f"{self.candidate} @ {self.meetup}"
