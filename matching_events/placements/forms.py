"""Workspace forms of placements and match leads. They validate input for the screens; saving
goes through `matching_events.services`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from relations import selectors
from relations.models import Candidate, Employer

from ..models import Meetup, Opportunity, Placement, SectorPledge
from ..opportunities.forms import DATE_WIDGET, EmployerChoiceField, employer_choices


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Candidate) -> str:
        return obj.full_name


class PlacementForm(forms.ModelForm):
    """Candidates only from the user's portfolio; opportunity, meetup and pledge only of the
    chosen employer (the service checks opportunity and pledge again)."""

    candidate = CandidateChoiceField(label=_("Candidate"), queryset=Candidate.objects.none())
    employer = EmployerChoiceField(label=_("Employer"), queryset=Employer.objects.none())

    class Meta:
        model = Placement
        fields = ["candidate", "employer", "kind", "start_date", "end_date", "hours_per_week",
                  "contract_months", "opportunity", "meetup", "pledge", "status"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employer_id = None
        if self.instance.pk:
            del self.fields["candidate"], self.fields["employer"]
            employer_id = self.instance.employer_id
        else:
            self.fields["candidate"].queryset = (
                selectors.visible_candidates(user).exclude(status=Candidate.Status.CLOSED)
                .order_by("last_name", "first_name", "pk"))
            self.fields["employer"].queryset = employer_choices()
            raw = self.data.get("employer") if self.is_bound else self.initial.get("employer")
            employer_id = int(raw) if str(raw or "").isdigit() else None
        opportunities = Opportunity.objects.select_related("employer").order_by("title", "pk")
        pledges = SectorPledge.objects.order_by("-made_on", "pk")
        meetups = Meetup.objects.exclude(status=Meetup.Status.CANCELLED).order_by(
            "-starts_at", "pk")
        if employer_id:
            opportunities = opportunities.filter(employer_id=employer_id)
            pledges = pledges.filter(employer_id=employer_id)
            meetups = meetups.filter(employers__employer_id=employer_id)
        self.fields["opportunity"].queryset = opportunities
        self.fields["opportunity"].label_from_instance = (
            lambda o: f"{o.title} ({o.employer.name})")
        self.fields["pledge"].queryset = pledges
        self.fields["meetup"].queryset = meetups
        self.fields["meetup"].label_from_instance = (
            lambda m: f"{m.title}, {m.starts_at:%d-%m-%Y}" if m.starts_at else m.title)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields
                if name in self.cleaned_data and name not in ("candidate", "employer")}


class LeadForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "approve"), ("close", "close")],
                               widget=forms.HiddenInput)
