"""Portal pages of a municipality (the full page set comes with the portal issue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The start page of a municipality's portal."""

    intro = RichTextField(_("introduction"), blank=True)
    employer_cta = models.CharField(_("call to action for employers"), max_length=200, blank=True)
    candidate_cta = models.CharField(
        _("call to action for candidates"), max_length=200, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("employer_cta"),
                      FieldPanel("candidate_cta")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")
