"""Portal pages of a municipality, edited by its editors in the Wagtail admin, and the
municipality's branding (a site setting)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.colours import contrast_ratio
from tenants.current import current_municipality
from tenants.services import set_brand_colour

from . import meetup_pages
from .blocks import RICH_TEXT_FEATURES, BodyBlock
from .figures import live_figures

ACCESSIBILITY_SLUG = "toegankelijkheidsverklaring"
BRANDING_KEY = "portal:branding"  # the header's name and logo, cached per municipality
PRIVACY_SLUG = "privacyverklaring"


class HomePage(Page):
    """The start page of a municipality's portal."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    employer_cta = models.CharField(_("call to action for employers"), max_length=200, blank=True)
    employer_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page for employers"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    candidate_cta = models.CharField(
        _("call to action for candidates"), max_length=200, blank=True)
    candidate_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page for candidates"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    show_figures = models.BooleanField(
        _("show live figures"), default=True,
        help_text=_("For example: how many employers take part."))

    content_panels = [
        *Page.content_panels, FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("employer_cta"), FieldPanel("employer_page")],
                        heading=_("Employers")),
        MultiFieldPanel([FieldPanel("candidate_cta"), FieldPanel("candidate_page")],
                        heading=_("Candidates")),
        FieldPanel("show_figures"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["figures"] = live_figures() if self.show_figures else None
        # The call-to-action pages and the meetup overview in one query (their URLs need no
        # specific page), then the next three meetups.
        ids = [pk for pk in (self.employer_page_id, self.candidate_page_id) if pk]
        overview_type = ContentType.objects.get_for_model(MeetupIndexPage)
        pages = list(Page.objects.live().filter(Q(pk__in=ids) | Q(content_type=overview_type)))
        by_id = {p.pk: p for p in pages}
        context["info_urls"] = {
            name: by_id[pk].get_url(request) if pk in by_id else None
            for name, pk in (("employer", self.employer_page_id),
                             ("candidate", self.candidate_page_id))}
        overview = next((p for p in pages if p.content_type_id == overview_type.pk), None)
        context["meetups_url"] = overview.get_url(request) if overview else None
        # Each call to action reaches its form or list in one click: the employer sign-up
        # form, the list of meetups (else the information page the editor chose).
        context["cta_urls"] = {
            "employer": reverse("employer_signup"),
            "candidate": context["meetups_url"] or context["info_urls"]["candidate"]}
        context["upcoming"] = list(meetup_pages.upcoming_meetups()[:3]) if overview else []
        return context


class ContentPage(Page):
    """A page of text, headings, images, quotes, buttons and questions."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("content page")


class ContactPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    address = models.TextField(_("visiting address"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("email"),
                      FieldPanel("phone"), FieldPanel("address"), FieldPanel("opening_hours")]
    max_count = 1

    class Meta:
        verbose_name = _("contact page")


class IndexPage(Page):
    """A page with an introduction above a list (meetups, opportunities, stories)."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1

    class Meta:
        abstract = True


class MeetupIndexPage(RoutablePageMixin, IndexPage):
    """The published meetups (prettig gesprek) of the municipality, from matching_events:
    the overview, each meetup with its registration form at `<pk>/`, and the "check your
    e-mail" page at `<pk>/aangemeld/` (see `cms.meetup_pages`)."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("meetup overview")

    @path("")
    def index_route(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meetups = list(meetup_pages.upcoming_meetups())
        return self.render(request, context_overrides={"meetups": meetups})

    @path("<int:pk>/")
    def meetup_detail(self, request: HttpRequest, pk: int) -> HttpResponse:
        return meetup_pages.meetup_detail(request, self, pk)

    @path("<int:pk>/aangemeld/")
    def meetup_registered(self, request: HttpRequest, pk: int) -> HttpResponse:
        return meetup_pages.meetup_registered(request, self, pk)


class OpportunityIndexPage(IndexPage):
    """Open opportunities the employers agreed to publish, from matching_events, grouped by
    kind; no contact details (employers sign up at /doe-mee-als-ondernemer/)."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("opportunity overview")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = meetup_pages.published_opportunities()
        return context


class StoryIndexPage(IndexPage):
    subpage_types = ["cms.StoryPage"]

    class Meta:
        verbose_name = _("story overview")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = StoryPage.objects.child_of(self).live().specific().order_by(
            "-first_published_at")
        return context


class StoryPage(Page):
    """A success story. Published only with the written consent of the people in it."""

    summary = models.TextField(_("summary"), max_length=300)
    body = StreamField(BodyBlock(), verbose_name=_("story"), blank=True)
    consent = models.BooleanField(
        _("the people in this story gave written consent to publish it"), default=False)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body"),
                      FieldPanel("consent")]
    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("story")

    def clean(self) -> None:
        super().clean()
        if self.live and not self.consent:
            raise ValidationError({"consent": _(
                "A story can only be published with the written consent of the people in it.")})


class AccessibilityStatementPage(Page):
    """The toegankelijkheidsverklaring, at a fixed path: /toegankelijkheidsverklaring/."""

    class Compliance(models.TextChoices):
        FULL = "A", _("meets the requirements fully")
        PARTIAL = "B", _("meets the requirements partially")
        FIRST_STEPS = "C", _("first measures taken")
        NONE = "D", _("no measures taken yet")

    compliance = models.CharField(_("status"), max_length=1, choices=Compliance.choices,
                                  default=Compliance.PARTIAL)
    statement_date = models.DateField(_("date of the statement"))
    last_review = models.DateField(_("last review"), null=True, blank=True)
    known_issues = RichTextField(_("known issues"), blank=True, features=RICH_TEXT_FEATURES)
    body = RichTextField(_("statement"), features=RICH_TEXT_FEATURES)
    contact_email = models.EmailField(_("e-mail address for accessibility problems"))

    content_panels = [*Page.content_panels, FieldPanel("compliance"),
                      FieldPanel("statement_date"), FieldPanel("last_review"), FieldPanel("body"),
                      FieldPanel("known_issues"), FieldPanel("contact_email")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("accessibility statement")

    def clean(self) -> None:
        super().clean()
        # The law and the register (toegankelijkheidsverklaring.nl) expect a fixed address.
        self.slug = ACCESSIBILITY_SLUG


@register_setting(icon="image")
class Branding(BaseSiteSetting):
    """Name, logo and colour of the municipality on its portal and workspace."""

    display_name = models.CharField(
        _("name shown"), max_length=100, blank=True,
        help_text=_("Leave empty to show 'Gemeente <name>'."))
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    logo_alt = models.CharField(
        _("alternative text of the logo"), max_length=150, blank=True,
        help_text=_("For example: Logo of the municipality of Zoetermeer."))
    brand_colour = models.CharField(
        _("brand colour"), max_length=7, default="#154273",
        help_text=_("Used for links, buttons and the header; it must read well on white "
                    "(contrast at least 4.5:1)."))

    panels = [FieldPanel("display_name"), FieldPanel("logo"), FieldPanel("logo_alt"),
              FieldPanel("brand_colour")]

    class Meta:
        verbose_name = _("branding")

    def clean(self) -> None:
        super().clean()
        errors = {}
        try:
            RegexValidator(r"^#[0-9a-fA-F]{6}$")(self.brand_colour)
        except ValidationError:
            errors["brand_colour"] = _("Use a colour like #154273.")
        else:
            ratio = contrast_ratio(self.brand_colour, "#ffffff")
            if ratio < 4.5:
                errors["brand_colour"] = _(
                    "This colour has a contrast of %(ratio).1f:1 with white; at least 4.5:1 is "
                    "needed (WCAG 2.1 AA). Choose a darker colour.") % {"ratio": ratio}
        if self.logo_id and not self.logo_alt:
            errors["logo_alt"] = _("Describe the logo for people who cannot see it.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        cache.delete(BRANDING_KEY)
        # The platform (stylesheet, national site) reads the colour from the municipality.
        municipality = current_municipality()
        if municipality.brand_colour != self.brand_colour:
            set_brand_colour(municipality, self.brand_colour)


def display_name() -> str | None:
    """The name the current municipality's portal shows (its Branding), for `core.site`."""
    return Branding.objects.filter(site__is_default_site=True).values_list(
        "display_name", flat=True).first() or None
