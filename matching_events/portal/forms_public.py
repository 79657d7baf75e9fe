"""Forms of the pages behind e-mail links (no account): surveys and an employer's answer to an
invitation. Plain language, "je"-form; the services check everything again."""

from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.antispam import HoneypotFormMixin

from ..models import ProposedDate

SATISFACTION = [
    ("1", _("1 – very unhappy")), ("2", _("2 – unhappy")), ("3", _("3 – neutral")),
    ("4", _("4 – happy")), ("5", _("5 – very happy"))]
AGREEMENT = [
    ("1", _("1 – not true at all")), ("2", _("2 – mostly not true")), ("3", _("3 – neutral")),
    ("4", _("4 – mostly true")), ("5", _("5 – completely true"))]


def score_field(label: str, choices: list, help_text: str = "") -> forms.ChoiceField:
    """A group of five radio buttons (a fieldset with a legend); skipping it is fine."""
    return forms.ChoiceField(label=label, choices=choices, required=False,
                             widget=forms.RadioSelect, help_text=help_text)


class SurveyForm(HoneypotFormMixin, forms.Form):
    approach = score_field(_("How happy are you with this way of meeting each other?"),
                           SATISFACTION)
    relationship_manager = score_field(
        _("How happy are you with the help of the relationship manager?"), SATISFACTION)
    comment = forms.CharField(
        label=_("Do you want to tell us something else? (you may skip this)"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def answers(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items()}


class CandidateSurveyForm(SurveyForm):
    self_efficacy = score_field(
        _("Is this true for you: “I believe I can find work that suits me.”"), AGREEMENT)
    field_order = ["approach", "relationship_manager", "self_efficacy", "comment"]


class EmployerSurveyForm(SurveyForm):
    pass


def date_label(proposal: ProposedDate) -> str:
    moment = timezone.localtime(proposal.starts_at)
    return f"{formats.date_format(moment, 'l j F Y')}, {formats.time_format(moment, 'H:i')}"


class DatesForm(HoneypotFormMixin, forms.Form):
    """While the date is still open: which proposed dates suit you? None suits: you cannot
    come."""

    dates = forms.MultipleChoiceField(
        label=_("Which dates suit you?"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every date on which you can come. Does no date suit you? Tick "
                    "nothing and send your answer."))

    def __init__(self, *args: Any, proposals: list[ProposedDate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dates"].choices = [(str(p.pk), date_label(p)) for p in proposals]

    def chosen(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["dates"]]


class ComingForm(HoneypotFormMixin, forms.Form):
    """When the date is set: are you coming?"""

    coming = forms.ChoiceField(
        label=_("Are you coming?"), widget=forms.RadioSelect,
        choices=[("yes", _("Yes, I am coming")), ("no", _("No, I cannot come"))],
        error_messages={"required": _("Choose yes or no.")})
