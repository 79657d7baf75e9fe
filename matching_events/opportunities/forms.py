"""Workspace forms of opportunities and sector pledges. They validate input for the screens;
saving goes through `matching_events.services`. The employer chooser is shared with the
placement form."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from relations.forms import postcode_field
from relations.models import Employer, Weekday
from relations.validators import normalise_postcode

from ..models import Opportunity, SectorPledge
from ..services.opportunities import STAFF_STATUSES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def employer_choices() -> QuerySet[Employer]:
    """Every workspace user works with every employer (market knowledge is shared)."""
    return Employer.objects.order_by("name", "pk").only("pk", "name")


class EmployerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employer) -> str:
        return obj.name


class OpportunityFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *Opportunity.Status.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All")), *Opportunity.Kind.choices])
    employer = EmployerChoiceField(label=_("Employer"), required=False,
                                   queryset=Employer.objects.none(), empty_label=_("All"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employer_choices()

    def apply(self, queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("employer"):
            queryset = queryset.filter(employer=data["employer"])
        return queryset


class OpportunityForm(forms.ModelForm):
    """New opportunity (with its employer) or an edit (the employer stays)."""

    employer = EmployerChoiceField(label=_("Employer"), queryset=Employer.objects.none())
    postcode = postcode_field()
    days = forms.MultipleChoiceField(label=_("Working days"), choices=Weekday.choices,
                                     required=False, widget=forms.CheckboxSelectMultiple)
    status = forms.ChoiceField(label=_("Status"), choices=[
        (value, label) for value, label in Opportunity.Status.choices if value in STAFF_STATUSES])

    class Meta:
        model = Opportunity
        fields = ["employer", "kind", "title", "description", "sector", "hours_per_week", "days",
                  "location", "postcode", "places", "start_date", "driving_licence_required",
                  "languages", "status", "publish_on_portal"]
        widgets = {"start_date": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["employer"]  # an opportunity does not move to another employer
            if self.instance.status == Opportunity.Status.AWAITING_REVIEW:
                self.fields["status"].required = False
                self.fields["status"].choices = [
                    ("", _("awaiting review (unchanged)")), *self.fields["status"].choices]
                self.initial["status"] = ""
        else:
            self.fields["employer"].queryset = employer_choices()
            self.initial.setdefault("status", Opportunity.Status.OPEN)

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])

    def changes(self) -> dict[str, Any]:
        """The editable fields for the service (employer and status are passed apart)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields
                if name in self.cleaned_data and name not in ("employer", "status")}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"), widget=forms.RadioSelect,
        choices=[("approve", _("Approve: publish as open")),
                 ("reject", _("Reject: close this opportunity"))])


class PledgeForm(forms.ModelForm):
    class Meta:
        model = SectorPledge
        fields = ["description", "sector", "places", "made_on"]
        widgets = {"made_on": DATE_WIDGET}
