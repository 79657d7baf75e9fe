"""Public forms of the portal's page tree: a candidate registering for a meetup.

Plain language, "je"-form. The form checks what a person can fix (empty, too long, not an
e-mail address) with the same messages as the service, which checks everything again; the
honeypot (`core.antispam`) keeps form-filling bots out.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.antispam import HoneypotFormMixin
from matching_events.models import PracticalNeed
from relations.validators import validate_phone

MAX_NAME = 100
MAX_TEXT = 500
MAX_PHONE = 30


class TelInput(forms.TextInput):
    input_type = "tel"


NAME_TOO_LONG = _("A name can be at most %(max)d characters.")
TEXT_TOO_LONG = _("Keep it short: at most 500 characters.")
PHONE_TOO_LONG = _("A phone number can be at most 30 characters.")
INVALID_EMAIL = _("Fill in a valid e-mail address, like naam@voorbeeld.nl.")


class MaxChars:
    """Like Django's MaxLengthValidator, with the service's own (Dutch) message, translated
    when shown. The input also gets `maxlength` (see `limited`)."""

    def __init__(self, limit: int, message: str | Promise) -> None:
        self.limit, self.message = limit, message

    def __call__(self, value: str) -> None:
        if len(value) > self.limit:
            raise ValidationError(self.message, code="max_length", params={"max": self.limit})


def limited(limit: int, message: str | Promise, widget: forms.Widget, **kwargs: Any
            ) -> forms.CharField:
    """A text field of at most `limit` characters."""
    widget.attrs["maxlength"] = str(limit)
    validators = [MaxChars(limit, message), *kwargs.pop("validators", ())]
    return forms.CharField(validators=validators, widget=widget, **kwargs)


class MeetupRegistrationForm(HoneypotFormMixin, forms.Form):
    """What a candidate fills in to register. For a full meetup the form asks for a yes to
    the waiting list (`full=True`)."""

    first_name = limited(
        MAX_NAME, NAME_TOO_LONG, forms.TextInput(attrs={"autocomplete": "given-name"}),
        label=_("First name"), error_messages={"required": _("Fill in your first name.")})
    last_name = limited(
        MAX_NAME, NAME_TOO_LONG, forms.TextInput(attrs={"autocomplete": "family-name"}),
        label=_("Last name"), error_messages={"required": _("Fill in your last name.")})
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254,
        help_text=_("We send you an e-mail with a link. Your registration counts once you "
                    "click it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": INVALID_EMAIL, "invalid": INVALID_EMAIL,
                        "max_length": INVALID_EMAIL})
    phone = limited(
        MAX_PHONE, PHONE_TOO_LONG, TelInput(attrs={"autocomplete": "tel"}),
        label=_("Phone number"), required=False, validators=[validate_phone],
        help_text=_("Optional. Only for questions about your registration."))
    interests = limited(
        MAX_TEXT, TEXT_TOO_LONG, forms.Textarea(attrs={"rows": 3}),
        label=_("What kind of work interests you?"), required=False,
        help_text=_("Optional. For example: working with people, outdoors, in a kitchen."))
    needs = forms.MultipleChoiceField(
        label=_("Do you need something to be able to come?"), required=False,
        choices=[(value, capfirst(label)) for value, label in PracticalNeed.choices],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional. Tick what applies: we will contact you about it."),
        error_messages={"invalid_choice": _("Choose the practical needs from the list.")})
    needs_note = limited(
        MAX_TEXT, TEXT_TOO_LONG, forms.Textarea(attrs={"rows": 3}),
        label=_("Tell us more about what you need"), required=False, help_text=_("Optional."))

    field_order = ["first_name", "last_name", "email", "phone", "interests", "needs",
                   "needs_note", "waiting_list"]

    def __init__(self, *args: Any, full: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if full:
            self.fields["waiting_list"] = forms.BooleanField(
                label=_("Put me on the waiting list"),
                help_text=_("You get a place as soon as someone cancels; we let you know "
                            "by e-mail."),
                error_messages={"required": _(
                    "This meetup is full. You can join the waiting list: you get a place as "
                    "soon as someone cancels.")})
            self.order_fields(self.field_order)

    def registration(self) -> dict[str, Any]:
        """The keyword arguments of `registrations.register_for_meetup`."""
        data = self.cleaned_data
        return {"first_name": data["first_name"], "last_name": data["last_name"],
                "email": data["email"], "phone": data["phone"],
                "interests": data["interests"], "needs": data["needs"],
                "needs_note": data["needs_note"],
                "waiting_list": bool(data.get("waiting_list"))}
