"""The CBS code in the ministry's URLs: "GM" and four digits (either case; the views look it
up in upper case). Anything else does not match the pattern: a 404 without a query, instead
of a raw string (a NUL character gave a 500) reaching the database."""

from django.urls import register_converter


class CbsCodeConverter:
    regex = "[Gg][Mm][0-9]{4}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(CbsCodeConverter, "cbs")
