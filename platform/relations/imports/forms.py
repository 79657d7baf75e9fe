"""Forms of the import wizard: the upload and the column mapping."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .fields import columns_for, labels_for
from .files import ImportFileError, Table
from .models import ImportJob


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you want to import?"), choices=ImportJob.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose employers or candidates.")})
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV file (saved as 'CSV UTF-8') or an Excel file (.xlsx), "
                               "at most 10 MB. The first row holds the column names."),
        error_messages={"required": gettext_lazy("Choose a file."),
                        "empty": gettext_lazy("The file is empty.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.data_bytes = b""
        self.table: Table | None = None

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.data_bytes, self.table = services.read_upload(uploaded)
        except ImportFileError as error:
            raise forms.ValidationError(error.message, code="file") from None
        return uploaded


class MappingForm(forms.Form):
    """One select per platform field, listing the columns of the file."""

    def __init__(self, *args: Any, job: ImportJob, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        labels = labels_for(job.kind)
        choices = [("", _("(do not import)")), *services.column_choices(headers)]
        for column in columns_for(job.kind):
            initial = job.mapping.get(column.name)
            self.fields[column.name] = forms.ChoiceField(
                label=labels[column.name], choices=choices, required=column.required,
                initial="" if initial is None else str(initial),
                error_messages={"required": _("Choose the column for this field."),
                                "invalid_choice": _("Choose one of the columns of the file.")})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        used: dict[str, str] = {}
        for name, value in list(cleaned.items()):
            if value in ("", None):
                continue
            if value in used:
                self.add_error(name, _("This column is already chosen for “%(field)s”.")
                               % {"field": self.fields[used[value]].label})
            else:
                used[value] = name
        return cleaned

    def mapping(self) -> dict[str, int]:
        return {name: int(value) for name, value in self.cleaned_data.items()
                if value not in ("", None)}
