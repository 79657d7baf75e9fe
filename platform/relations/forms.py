"""Forms of the workspace. They validate input for the screens; saving goes through services."""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import PrivateFileInput

from .models import Candidate, ContactMoment, ContactPerson, Employer, NextAction, Weekday
from .reference import LADDER_CHOICES, SBI_CHOICES, ZRM_DOMAIN_CHOICES, ZRM_LEVEL_CHOICES
from .validators import (
    normalise_kvk,
    normalise_postcode,
    validate_not_in_future,
    validate_postcode,
)

User = get_user_model()


def workspace_users():
    """Colleagues who can own relations: relationship managers and coordinators."""
    return (User.objects.filter(is_active=True, groups__permissions__codename="access_workspace")
            .distinct().order_by("first_name", "last_name", "email"))


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class VersionedForm(forms.ModelForm):
    """Carries the version the edit started from, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        if "owner" in self.fields:
            self.fields["owner"] = ColleagueChoiceField(
                queryset=workspace_users(), required=False, label=_("Relationship manager"))

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields
                if name in self.cleaned_data}


def postcode_field() -> forms.CharField:
    """Room for sloppy input ('2711  ab '): the Dutch message explains the format instead of
    a bare 'at most 7 characters'."""
    return forms.CharField(label=_("Postcode"), max_length=20, required=False,
                           validators=[validate_postcode],
                           widget=forms.TextInput(attrs={"autocomplete": "postal-code"}))


class EmployerForm(VersionedForm):
    postcode = postcode_field()
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Employer
        fields = ["name", "kvk_number", "sector", "size_class", "street_address", "postcode",
                  "city", "website", "owner", "status"]
        widgets = {"kvk_number": forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "off"})}

    def clean_kvk_number(self) -> str:
        return normalise_kvk(self.cleaned_data["kvk_number"])

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "email", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}


class CandidateForm(VersionedForm):
    postcode = postcode_field()
    days_available = forms.MultipleChoiceField(
        label=_("Days available"), choices=Weekday.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    preferred_sectors = forms.MultipleChoiceField(
        label=_("Preferred sectors"), choices=SBI_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Candidate
        fields = ["first_name", "last_name", "email", "phone", "year_of_birth", "postcode",
                  "languages", "driving_licence", "hours_per_week", "days_available",
                  "travel_radius_km", "talents", "interests", "preferred_sectors", "cv",
                  "owner", "status", "programme_start", "ladder_rung", "client_reference"]
        widgets = {
            "programme_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "talents": forms.Textarea(attrs={"rows": 4}),
            "interests": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "year_of_birth": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The CV is a private file: the current one links to the view that checks permission.
        download = (reverse("relations:cv_download", args=[self.instance.pk])
                    if self.instance.pk else "")
        self.fields["cv"].widget = PrivateFileInput(download_url=download,
                                                    label=_("Download CV"))

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])


class ContactMomentForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[
        (k.value, k.label) for k in ContactMoment.LOGGABLE])

    class Meta:
        model = ContactMoment
        fields = ["kind", "occurred_at", "summary"]
        widgets = {"occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                      format="%Y-%m-%dT%H:%M"),
                   "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
                                                    "%d-%m-%Y %H:%M"]
        if not self.is_bound:
            self.initial["occurred_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class NextActionForm(forms.ModelForm):
    class Meta:
        model = NextAction
        fields = ["description", "due_on", "kind", "owner"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = ColleagueChoiceField(queryset=workspace_users(), label=_("Who"))
        if user is not None and not self.is_bound:
            self.initial["owner"] = user.pk
            self.initial["due_on"] = timezone.localdate().isoformat()


class DoneForm(forms.Form):
    summary = forms.CharField(label=_("What came of it? (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class LadderForm(forms.Form):
    rung = forms.TypedChoiceField(label=_("Rung"), choices=LADDER_CHOICES, coerce=int)
    on = forms.DateField(label=_("Date"), validators=[validate_not_in_future],
                         widget=forms.DateInput(attrs={"type": "date"}))


class ZrmForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessment date"), validators=[validate_not_in_future],
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, name in ZRM_DOMAIN_CHOICES:
            self.fields[f"domain_{number}"] = forms.TypedChoiceField(
                label=name, choices=[("", "—"), *ZRM_LEVEL_CHOICES], coerce=int,
                error_messages={"required": _("Give a score from 1 to 5."),
                                "invalid_choice": _("A score is a number from 1 to 5.")})

    def scores(self) -> dict[int, int]:
        return {number: self.cleaned_data[f"domain_{number}"]
                for number, _name in ZRM_DOMAIN_CHOICES}

    def domain_fields(self):
        return [self[f"domain_{number}"] for number, _name in ZRM_DOMAIN_CHOICES]


class ShareForm(forms.Form):
    colleague = ColleagueChoiceField(queryset=User.objects.none(), label=_("Colleague"))

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = workspace_users().exclude(pk__in=exclude)


class HandoverForm(forms.Form):
    from_user = ColleagueChoiceField(queryset=User.objects.none(), label=_("From"))
    to_user = ColleagueChoiceField(queryset=User.objects.none(), label=_("To"))
    scope = forms.ChoiceField(
        label=_("What"), widget=forms.RadioSelect, initial="all",
        choices=[("all", _("The whole portfolio")), ("selected", _("Only the selected relations"))])
    employers = forms.ModelMultipleChoiceField(
        queryset=Employer.objects.none(), required=False, label=_("Employers"),
        widget=forms.CheckboxSelectMultiple)
    candidates = forms.ModelMultipleChoiceField(
        queryset=Candidate.objects.none(), required=False, label=_("Candidates"),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_user", "to_user"):
            self.fields[name].queryset = workspace_users()
        owner = self.data.get("from_user") or self.initial.get("from_user")
        if owner and str(owner).isdigit():
            self.fields["employers"].queryset = Employer.objects.filter(owner_id=owner)
            self.fields["candidates"].queryset = Candidate.objects.filter(owner_id=owner)

    def clean(self):
        data = super().clean()
        if data.get("from_user") and data.get("from_user") == data.get("to_user"):
            self.add_error("to_user", _("Choose two different colleagues."))
        if data.get("scope") == "selected" and not (data.get("employers")
                                                    or data.get("candidates")):
            self.add_error("employers", _("Select at least one relation."))
        return data


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=150,
        help_text=_("For example: request of the person concerned. Do not write personal data."))
    confirm = forms.BooleanField(
        label=_("I understand that the whole file is deleted and cannot be restored."))


class RetentionForm(forms.Form):
    candidate_retention_months = forms.IntegerField(
        label=_("Keep closed candidate files (months)"), min_value=1, max_value=120)
