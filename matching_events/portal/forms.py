"""Forms of the public portal's own pages: the employer sign-up ("Doe mee als ondernemer") and
the pages of portal accounts (an employer's opportunities and meetup answers). They validate
input; saving goes through `matching_events.services`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.antispam import HoneypotFormMixin
from relations.forms import postcode_field
from relations.reference import SBI_CHOICES
from relations.validators import (
    normalise_kvk,
    normalise_postcode,
    validate_kvk_number,
    validate_phone,
)

from ..models import Opportunity

DESCRIPTION_MAX = 1000


def _text(label: str, max_length: int, autocomplete: str, **attrs: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, widget=forms.TextInput(
        attrs={"autocomplete": autocomplete, **attrs}))


def opportunity_fields() -> dict[str, forms.Field]:
    """What an employer can offer, as the portal asks it (new fields per form instance)."""
    return {
        "kind": forms.ChoiceField(
            label=_("What can you offer?"), choices=Opportunity.Kind.choices,
            widget=forms.RadioSelect),
        "title": _text(_("Title"), 200, "off", spellcheck="true"),
        "description": forms.CharField(
            label=_("Short description"), max_length=DESCRIPTION_MAX, required=False,
            help_text=_("What is the work, and what kind of person are you looking for? "
                        "At most 1000 characters."),
            widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"})),
        "hours_per_week": forms.IntegerField(
            label=_("Hours per week"), required=False, min_value=1, max_value=60,
            help_text=_("A number from 1 to 60. You may leave it empty."),
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"})),
        "publish_on_portal": forms.BooleanField(
            label=_("You may show this offer on the website of the municipality"),
            required=False,
            help_text=_("We show it only after we have checked it. Without your name.")),
    }


class EmployerSignUpForm(HoneypotFormMixin, forms.Form):
    """The company, the contact person and one opportunity."""

    COMPANY = ("company_name", "kvk_number", "sector", "postcode")
    CONTACT = ("contact_name", "email", "phone")
    OPPORTUNITY = ("kind", "title", "description", "hours_per_week", "publish_on_portal")

    company_name = _text(_("Name of your company"), 200, "organization")
    kvk_number = forms.CharField(
        label=_("KvK number"), max_length=20, validators=[validate_kvk_number],
        help_text=_("8 digits. You can find it on kvk.nl."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Choose a sector")),
                                                           *SBI_CHOICES])
    postcode = postcode_field()
    contact_name = _text(_("Your name"), 200, "name")
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Your phone number"), max_length=30, required=False,
                            validators=[validate_phone],
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postcode"].required = True
        self.fields["postcode"].label = _("Postcode of your company")
        for name, field in opportunity_fields().items():
            self.fields[name] = field
        honeypot = self.fields.pop(self.honeypot_field_name)
        self.fields[self.honeypot_field_name] = honeypot  # last, after the real fields

    def clean_kvk_number(self) -> str:
        return normalise_kvk(self.cleaned_data["kvk_number"])

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fieldsets: (legend, fields)."""
        return [(str(legend), [self[name] for name in names]) for legend, names in (
            (_("About your company"), self.COMPANY), (_("Contact person"), self.CONTACT),
            (_("Your offer"), self.OPPORTUNITY))]

    def service_arguments(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in (*self.COMPANY, *self.CONTACT,
                                                           *self.OPPORTUNITY)}


# What the service calls the fields, and which field of this form shows the error.
SERVICE_FIELD_NAMES = {"kvk_number": "kvk_number", "email": "email", "phone": "phone",
                       "postcode": "postcode", "sector": "sector", "kind": "kind",
                       "title": "title", "description": "description",
                       "hours_per_week": "hours_per_week"}


class PortalOpportunityForm(forms.Form):
    """A new or changed opportunity, posted by the employer on the portal (back to review)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(opportunity_fields())
        self.fields["kind"].label = _("Kind of offer")

    @classmethod
    def initial_from(cls, opportunity: Opportunity) -> dict[str, Any]:
        return {name: getattr(opportunity, name) for name in opportunity_fields()}


class ParticipationAnswerForm(forms.Form):
    coming = forms.ChoiceField(
        label=_("Are you coming?"), widget=forms.RadioSelect,
        choices=[("yes", _("Yes, we are coming")), ("no", _("No, we cannot come"))])
