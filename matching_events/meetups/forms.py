"""Forms of the meetup pages. They check input for the screens; saving goes through the
services of `matching_events.services`, which have the last word (their errors land on these
forms through `core.workspace.submit`).

Date and time fields take the browser's `datetime-local` value (or a typed Dutch date) and
give aware datetimes in the current time zone (Europe/Amsterdam), summer time included."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relations.models import Candidate
from relations.selectors import visible_candidates, visible_employers

from ..models import Meetup, MeetupEmployer, PracticalNeed, Registration
from ..models.outcomes import Answer

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d-%m-%Y %H.%M"]


def datetime_field(label, *, required: bool = False, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, help_text=help_text, input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Fill in a date and time, like 15-03-2027 10:00.")})


class MeetupForm(forms.ModelForm):
    starts_at = datetime_field(
        _("Date and time"),
        help_text=_("Leave empty while you choose the date with the employers."))
    registration_deadline = datetime_field(_("Register until"))
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    class Meta:
        model = Meetup
        fields = ["title", "theme", "sector", "description", "starts_at", "duration_minutes",
                  "round_minutes", "capacity", "registration_deadline", "location_name",
                  "address", "accessibility_notes", "online_link"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}),
                   "accessibility_notes": forms.Textarea(attrs={"rows": 2})}

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields
                if name in self.cleaned_data}


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *Meetup.Status.choices])


class ProposeDatesForm(forms.Form):
    """Two to four dates to put to the employers (the service checks the number)."""

    date_1 = datetime_field(_("First date"))
    date_2 = datetime_field(_("Second date"))
    date_3 = datetime_field(_("Third date (optional)"))
    date_4 = datetime_field(_("Fourth date (optional)"))

    def dates(self) -> list:
        return [value for name, value in self.cleaned_data.items() if value]


class ChooseDateForm(forms.Form):
    proposal = forms.IntegerField(widget=forms.HiddenInput)


class InviteEmployersForm(forms.Form):
    employers = forms.ModelMultipleChoiceField(
        label=_("Employers to invite"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one employer."),
                        "invalid_choice": _("Choose the employers from the list.")})

    def __init__(self, *args, meetup: Meetup, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employers"].queryset = (
            visible_employers(user).exclude(meetup_participations__meetup=meetup)
            .only("pk", "name", "city").order_by("name", "pk"))
        self.fields["employers"].label_from_instance = (
            lambda e: f"{e.name} ({e.city})" if e.city else e.name)


class EmployerAnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Answer"), choices=MeetupEmployer.Status.choices,
                               widget=forms.RadioSelect)


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Candidate) -> str:
        return obj.full_name


class InviteCandidateForm(forms.Form):
    """Only candidates the user may see can be chosen: anything else is an invalid choice."""

    candidate = CandidateChoiceField(
        label=_("Candidate"), queryset=Candidate.objects.none(),
        help_text=_("Candidates of your own portfolio and those shared with you."),
        error_messages={"invalid_choice": _("Choose a candidate from your own portfolio.")})
    needs = forms.MultipleChoiceField(
        label=_("Practical needs"), choices=PracticalNeed.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    needs_note = forms.CharField(label=_("About these needs"), max_length=500, required=False)

    def __init__(self, *args, meetup: Meetup, user, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Registration.objects.filter(meetup=meetup).exclude(
            status=Registration.Status.CANCELLED).values("candidate_id")
        self.fields["candidate"].queryset = (
            visible_candidates(user).exclude(status=Candidate.Status.CLOSED)
            .exclude(pk__in=taken).only("pk", "first_name", "last_name")
            .order_by("last_name", "first_name", "pk"))


class CheckInForm(forms.Form):
    present = forms.TypedChoiceField(
        label=_("Present"), coerce=lambda value: value == "1",
        choices=[("1", _("present")), ("0", _("absent"))])


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if isinstance(obj, Registration):
            return obj.candidate.full_name
        return obj.employer.name


class OutcomeForm(forms.Form):
    """One conversation: only the candidates and employers checked in as present."""

    registration = PersonChoiceField(
        label=_("Candidate"), queryset=Registration.objects.none(),
        error_messages={"invalid_choice": _(
            "This candidate was not checked in as present: record attendance first.")})
    participation = PersonChoiceField(
        label=_("Employer"), queryset=MeetupEmployer.objects.none(),
        error_messages={"invalid_choice": _(
            "This employer was not checked in as present: record attendance first.")})
    candidate_says = forms.ChoiceField(
        label=_("Would the candidate like a follow-up?"), choices=Answer.choices,
        widget=forms.RadioSelect)
    employer_says = forms.ChoiceField(
        label=_("Would the employer like a follow-up?"), choices=Answer.choices,
        widget=forms.RadioSelect)

    def __init__(self, *args, registrations, participations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = registrations
        self.fields["participation"].queryset = participations


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False,
                             help_text=_("For your colleagues; it is not sent to anyone."))
    confirm = forms.BooleanField(
        label=_("Yes, cancel this meetup. Everyone who registered or was invited gets an "
                "e-mail."),
        error_messages={"required": _("Tick the box to confirm the cancellation.")})


class ConfirmForm(forms.Form):
    """Publish and mark as held: a button, nothing to fill in."""


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}),
                            input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}),
                          input_formats=["%Y-%m-%d", "%d-%m-%Y"])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date comes after the start date."))
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 3700:
            self.add_error("start", _("Choose a period of at most ten years."))
        return data

    @staticmethod
    def default_period() -> dict:
        today = timezone.localdate()
        return {"start": today.replace(year=today.year - 1) if not (
            today.month == 2 and today.day == 29) else today.replace(year=today.year - 1, day=28),
            "end": today}
