"""The coordinator's form for the project period and its targets."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import MAX_TARGET
from .services import TARGET_FIELDS, validate_period

NEW, CURRENT = "new", "current"


def _target(label):
    # Limits are checked by the service (Dutch messages); the attributes only help browsers.
    return forms.IntegerField(label=label, widget=forms.NumberInput(
        attrs={"min": 0, "max": MAX_TARGET, "inputmode": "numeric"}),
        error_messages={"required": _("Enter a target."), "invalid": _("Enter a whole number.")})


def _date(label):
    return forms.DateField(label=label, widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter a date."),
                        "invalid": _("Enter a valid date, for example 2026-01-31.")})


class ProjectPeriodForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("What do you want to do?"), widget=forms.RadioSelect, initial=CURRENT,
        required=False,
        choices=[(CURRENT, _("Change the current period")),
                 (NEW, _("Start a new period (the current one stays viewable)"))])
    start = _date(_("Start of the project period"))
    end = _date(_("End of the project period"))
    target_employer_contacts = _target(_("Target: new employer contacts"))
    target_regular_jobs = _target(_("Target: regular jobs"))
    target_work_experience_places = _target(_("Target: work-experience places"))

    def __init__(self, *args, can_edit_current: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not can_edit_current:
            del self.fields["mode"]

    def clean(self) -> dict:
        """The service's checks too (end after start, targets 0..10000), so that every
        mistake is named at once; the service checks again when saving."""
        data = super().clean()
        try:
            validate_period(start=data.get("start"), end=data.get("end"),
                            targets={f: data.get(f) for f in TARGET_FIELDS})
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return data
