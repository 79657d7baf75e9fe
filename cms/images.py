"""Images editors upload: a file Pillow cannot read completely (a truncated GIF, HTML behind a
JPEG header) is refused on the form instead of failing later with a server error when Wagtail
reads its size or makes a rendition."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from wagtail.images.forms import BaseImageForm


def _unreadable() -> forms.ValidationError:
    return forms.ValidationError(_(
        "This image cannot be read. Save it again as JPEG or PNG and upload it once more."),
        code="unreadable")


class SafeImageForm(BaseImageForm):
    """Wagtail's image form (single and multiple upload) with a full decode of the image."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            # Wagtail's field reads the image's format in to_python and lets Pillow's errors
            # through (a 500 for a truncated GIF).
            read = field.to_python

            def to_python(data: Any) -> Any:
                try:
                    return read(data)
                except (UnidentifiedImageError, OSError, SyntaxError) as error:
                    raise _unreadable() from error

            field.to_python = to_python

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            try:
                upload.seek(0)
                with Image.open(upload) as image:
                    image.load()  # decodes every byte: a truncated or fake image fails here
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
                raise _unreadable() from error
            finally:
                upload.seek(0)
        return upload
