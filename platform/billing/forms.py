"""The sign-up form on the national site."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.antispam import HoneypotFormMixin

from .models import Plan
from .services.signup import municipalities_open_for_sign_up


class SignUpForm(HoneypotFormMixin, forms.Form):
    cbs_code = forms.ChoiceField(
        label=_("Municipality"),
        help_text=_("Municipalities already on the platform are not in the list."))
    plan = forms.ChoiceField(
        label=_("Plan"), choices=Plan.choices, widget=forms.RadioSelect,
        help_text=_("A yearly subscription; choose by your number of inhabitants. You pay "
                    "nothing during the trial period."))
    coordinator_name = forms.CharField(label=_("Coordinator's name"), max_length=150)
    coordinator_email = forms.EmailField(
        label=_("Coordinator's work e-mail address"), max_length=254,  # as the table
        help_text=_("We send the link to set a password to this address."),
        error_messages={"invalid": _("Enter an e-mail address like name@gemeente.nl.")})
    pay_by_invoice = forms.BooleanField(
        label=_("Pay by invoice (bank transfer)"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cbs_code"].choices = [("", _("Choose your municipality"))] + [
            (m.cbs_code, m.name) for m in municipalities_open_for_sign_up()]
        self.fields["cbs_code"].error_messages["invalid_choice"] = _(
            "Choose your municipality from the list. A municipality already on the platform "
            "cannot sign up again.")
