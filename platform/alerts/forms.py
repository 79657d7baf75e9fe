"""Forms of the signal screens. Saving goes through `alerts.services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from relations.forms import ColleagueChoiceField, workspace_users

from .models import Signal
from .services import MAX_REASON


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can this signal go?"), max_length=MAX_REASON, strip=True,
        error_messages={"required": _("Give a reason for dismissing this signal.")},
        help_text=_("For example: offer made outside the platform, or contact by phone."))


class SignalFilterForm(forms.Form):
    """Filters of the signal list. The owner filter is for coordinators only."""

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *Signal.Kind.choices])

    def __init__(self, *args, coordinator: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if coordinator:
            self.fields["owner"] = ColleagueChoiceField(
                queryset=workspace_users(), required=False, label=_("Relationship manager"),
                empty_label=_("Everyone"))

    def apply(self, signals):
        if not self.is_bound or not self.is_valid():
            return signals
        if self.cleaned_data.get("kind"):
            signals = signals.filter(kind=self.cleaned_data["kind"])
        if self.cleaned_data.get("owner"):
            signals = signals.filter(owner=self.cleaned_data["owner"])
        return signals
