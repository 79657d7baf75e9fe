"""Employers and candidates of one municipality, with their timeline and next actions.

Lives in each municipality's schema. Written only through `relations.services`.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Trim, Upper
from django.utils.translation import gettext_lazy as _

from core.files import UnguessableName, get_private_storage

from .reference import LADDER_CHOICES, SBI_CHOICES, ZRM_DOMAIN_CHOICES, ZRM_LEVEL_CHOICES
from .validators import (
    validate_client_reference,
    validate_kvk_number,
    validate_not_in_future,
    validate_phone,
    validate_postcode,
    validate_year_of_birth,
)

User = settings.AUTH_USER_MODEL


class Versioned(models.Model):
    """Optimistic locking: an edit names the version it started from; a stale one is refused
    instead of silently overwriting a colleague's change."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Lower-case text the list search runs on (trigram index), kept by the services.
    search_text = models.TextField(default="", editable=False)

    class Meta:
        abstract = True


def trigram_index(name: str) -> GinIndex:
    return GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name=name)


class Employer(Versioned):
    class Status(models.TextChoices):
        PROSPECT = "prospect", _("prospect")
        IN_CONTACT = "in_contact", _("in contact")
        ACTIVE_PARTNER = "active_partner", _("active partner")
        DORMANT = "dormant", _("dormant")

    class Size(models.TextChoices):
        MICRO = "micro", _("1 to 9 employees")
        SMALL = "small", _("10 to 49 employees")
        MEDIUM = "medium", _("50 to 249 employees")
        LARGE = "large", _("250 employees or more")

    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, unique=True, validators=[validate_kvk_number],
        help_text=_("8 digits, from the Chamber of Commerce register."))
    sector = models.CharField(_("sector (SBI)"), max_length=1, choices=SBI_CHOICES, blank=True)
    size_class = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode])
    city = models.CharField(_("town"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    owner = models.ForeignKey(
        User, verbose_name=_("relationship manager"), on_delete=models.PROTECT,
        related_name="employers", null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROSPECT)
    # The date of the earliest contact moment; kept by the services. Counts towards the
    # "new employer contacts" target when it falls inside the project period.
    first_contact_date = models.DateField(_("first contact"), null=True, blank=True,
                                          editable=False)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "pk"]
        indexes = [
            trigram_index("employer_search_trgm"),
            models.Index(fields=["status", "name"]),
            models.Index(fields=["owner", "name"]),
            models.Index(fields=["sector", "name"]),
            models.Index(fields=["first_contact_date"]),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPersonQuerySet(models.QuerySet):
    def confirmed(self) -> "ContactPersonQuerySet":
        return self.filter(confirmed=True)


class ContactPerson(models.Model):
    """Someone to talk to at an employer. `confirmed`: added by staff, or checked by the
    employer's relationship manager (`relations.services.confirm_contact_person`). A contact
    left on the public "Doe mee als ondernemer" form is unconfirmed: anyone can type any
    company's KvK number, so until someone checks, they receive nothing and see nothing
    (`relations.services.confirmed_contacts` is the one way to pick a contact to write to)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True,
                             validators=[validate_phone])
    confirmed = models.BooleanField(_("confirmed"), default=True, db_default=True)

    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Weekday(models.TextChoices):
    MONDAY = "ma", _("Monday")
    TUESDAY = "di", _("Tuesday")
    WEDNESDAY = "wo", _("Wednesday")
    THURSDAY = "do", _("Thursday")
    FRIDAY = "vr", _("Friday")
    SATURDAY = "za", _("Saturday")
    SUNDAY = "zo", _("Sunday")


class Candidate(Versioned):
    class Status(models.TextChoices):
        INTAKE = "intake", _("intake")
        ACTIVE = "active", _("active")
        PLACED = "placed", _("placed")
        PAUSED = "paused", _("paused")
        CLOSED = "closed", _("closed")

    class Source(models.TextChoices):
        STAFF = "staff", _("entered by staff")
        PORTAL = "portal", _("registered on the portal")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True,
                             validators=[validate_phone])
    year_of_birth = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[validate_year_of_birth])
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode])
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("For example: Dutch, Arabic."))
    driving_licence = models.BooleanField(_("driving licence"), default=False)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours available per week"), null=True, blank=True,
        validators=[MaxValueValidator(60)])
    days_available = ArrayField(
        models.CharField(max_length=2, choices=Weekday.choices), default=list, blank=True,
        verbose_name=_("days available"))
    travel_radius_km = models.PositiveSmallIntegerField(
        _("travel distance (km)"), null=True, blank=True, validators=[MaxValueValidator(200)])
    talents = models.TextField(
        _("talents and strengths"), blank=True,
        help_text=_("What is this person good at? Start with strengths."))
    interests = models.TextField(_("interests"), blank=True)
    cv = models.FileField(_("CV (optional)"), upload_to=UnguessableName("cv"),
                          storage=get_private_storage, blank=True)
    preferred_sectors = ArrayField(
        models.CharField(max_length=1, choices=SBI_CHOICES), default=list, blank=True,
        verbose_name=_("preferred sectors"))
    owner = models.ForeignKey(
        User, verbose_name=_("relationship manager"), on_delete=models.PROTECT,
        related_name="candidates", null=True, blank=True)
    shared_with = models.ManyToManyField(
        User, verbose_name=_("shared with"), related_name="shared_candidates", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INTAKE)
    programme_start = models.DateField(
        _("in the programme since"), null=True, blank=True, validators=[validate_not_in_future],
        help_text=_("The date the person entered social assistance or the programme."))
    ladder_rung = models.PositiveSmallIntegerField(
        _("participation ladder"), choices=LADDER_CHOICES, null=True, blank=True)
    client_reference = models.CharField(
        _("client number of the municipality"), max_length=50, blank=True,
        validators=[validate_client_reference],
        help_text=_("Optional. Never a citizen service number (BSN)."))
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True, editable=False)
    # Who made the file. Staff may keep several people at one address (or none); a visitor
    # of the portal gets one file per address (candidate_portal_email_unique). Rows from
    # before this column are "staff", so old duplicates never block the migration.
    source = models.CharField(_("made by"), max_length=10, choices=Source.choices,
                              default=Source.STAFF, db_default=Source.STAFF, editable=False)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            trigram_index("candidate_search_trgm"),
            models.Index(fields=["owner", "last_name"]),
            models.Index(fields=["status", "last_name"]),
            models.Index(fields=["last_name", "first_name"]),
            models.Index(Upper("email"), name="candidate_email_upper"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client_reference"], condition=~Q(client_reference=""),
                name="candidate_client_reference_unique",
                violation_error_message=_("Another candidate has this client number.")),
            # Double submits of the portal's forms end here, whatever the timing.
            models.UniqueConstraint(
                Lower(Trim("email")), condition=Q(source="portal") & ~Q(status="closed"),
                name="candidate_portal_email_unique",
                violation_error_message=_(
                    "Someone who registered on the portal already has this e-mail address.")),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class LadderStep(models.Model):
    """History of the participation ladder: one row per change."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="ladder")
    rung = models.PositiveSmallIntegerField(_("rung"), choices=LADDER_CHOICES)
    on = models.DateField(_("date"), validators=[validate_not_in_future])
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("participation ladder step")

    def __str__(self) -> str:
        return f"{self.on}: {self.rung}"


class ZrmAssessment(models.Model):
    """One self-sufficiency matrix assessment: a score 1-5 on each of the 13 domains."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="zrm")
    assessed_on = models.DateField(_("assessment date"), validators=[validate_not_in_future])
    assessed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "pk"]
        verbose_name = _("ZRM assessment")

    def __str__(self) -> str:
        return f"ZRM {self.assessed_on}"


class ZrmScore(models.Model):
    assessment = models.ForeignKey(ZrmAssessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.PositiveSmallIntegerField(_("domain"), choices=ZRM_DOMAIN_CHOICES)
    score = models.PositiveSmallIntegerField(
        _("score"), choices=ZRM_LEVEL_CHOICES,
        validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain"], name="zrm_one_score_per_domain"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="zrm_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.score}"


class Relation(models.Model):
    """Something that belongs to exactly one employer or one candidate."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, null=True, blank=True, related_name="%(class)ss")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="%(class)ss")

    class Meta:
        abstract = True

    @property
    def relation(self) -> Employer | Candidate:
        return self.employer if self.employer_id else self.candidate


def one_relation(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(employer__isnull=False, candidate__isnull=True)
        | Q(employer__isnull=True, candidate__isnull=False),
        name=name)


class ContactMoment(Relation):
    class Kind(models.TextChoices):
        CALL = "call", _("phone call")
        VISIT = "visit", _("visit")
        EMAIL = "email", _("e-mail")
        MEETING = "meeting", _("meeting")
        NOTE = "note", _("note")
        HANDOVER = "handover", _("handed over")

    # What people log themselves; handovers are written by the platform.
    LOGGABLE = [Kind.CALL, Kind.VISIT, Kind.EMAIL, Kind.MEETING, Kind.NOTE]

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"), validators=[validate_not_in_future])
    summary = models.TextField(_("summary"))
    author = models.ForeignKey(
        User, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        constraints = [one_relation("contact_moment_one_relation")]
        indexes = [models.Index(fields=["employer", "occurred_at"]),
                   models.Index(fields=["candidate", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class NextAction(Relation):
    description = models.CharField(_("what"), max_length=300)
    due_on = models.DateField(_("due date"))
    kind = models.CharField(
        _("kind of contact"), max_length=10, choices=ContactMoment.Kind.choices[:5],
        default=ContactMoment.Kind.CALL)
    owner = models.ForeignKey(
        User, verbose_name=_("who"), on_delete=models.PROTECT, related_name="next_actions")
    done_at = models.DateTimeField(null=True, blank=True)
    contact_moment = models.OneToOneField(
        ContactMoment, on_delete=models.SET_NULL, null=True, blank=True, related_name="action")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("next action")
        verbose_name_plural = _("next actions")
        constraints = [one_relation("next_action_one_relation")]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"])]

    def __str__(self) -> str:
        return self.description
from .imports.models import ImportJob  # noqa: E402,F401  (the import wizard keeps its own file)
