"""Anti-spam for the portal's public forms, without a third party (no reCAPTCHA: no visitor
data leaves the platform).

Two tools, meant to be used together on every public form:

- `HoneypotFormMixin`: adds a text field that people never see (hidden with a CSS class, not
  an inline style, and hidden from screen readers) but that form-filling bots do fill in.
  A filled honeypot makes the form invalid with a neutral message, so nothing is saved.
- `public_form(rate=...)`: a view decorator limiting POSTs per client address with
  django-ratelimit. Its counters live in the default cache, whose keys carry the schema name
  (`django_tenants.cache.make_key`): a limit reached in one municipality does not count in
  another. A blocked request gets the 429 page (`rate_limited`, via RATELIMIT_VIEW).

Usage, for a future public form::

    class MeetupRegistrationForm(HoneypotFormMixin, forms.ModelForm): ...

    @public_form(rate="5/m")
    def register_for_meetup(request, pk): ...
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy
from django_ratelimit.decorators import ratelimit

# A name that bots like to fill in but browsers do not auto-fill (no address or contact type).
HONEYPOT_FIELD = "homepage"
HONEYPOT_CSS_CLASS = "werktop-honeypot"
# Seconds a blocked client is told to wait (the Retry-After header of the 429 page).
RETRY_AFTER_SECONDS = 60


class HoneypotInput(forms.TextInput):
    """A text input inside a wrapper hidden by CSS and from assistive technology.

    It counts as a hidden widget, so Django's form templates render it without a visible
    label or field wrapper; it carries its own label telling a human (CSS off, a text browser)
    to leave it empty."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"autocomplete": "off", "tabindex": "-1"}
        super().__init__({**defaults, **(attrs or {})})

    @property
    def is_hidden(self) -> bool:
        return True

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> str:
        attrs = {**(attrs or {})}
        attrs.pop("required", None)  # never required, whatever the form says
        # Always empty: the bot's input is not echoed, and a person whose browser filled it
        # in anyway can simply send the form again.
        input_html = super().render(name, None, attrs, renderer)
        input_id = attrs.get("id") or self.attrs.get("id") or ""
        return format_html(
            '<div class="{}" aria-hidden="true"><label for="{}">{}</label>{}</div>',
            HONEYPOT_CSS_CLASS, input_id, gettext("Leave this field empty"), input_html,
        )


class HoneypotField(forms.CharField):
    """Optional text field with the honeypot widget; the form mixin does the checking."""

    widget = HoneypotInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Leave this field empty"))
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)


class HoneypotFormMixin:
    """Adds the honeypot field to a Form or ModelForm. Put it before the form class:
    `class SignUpForm(HoneypotFormMixin, forms.ModelForm)`.

    A filled honeypot is a form-wide error (shown at the top of the form, where a person using
    a screen reader also finds it), the form is invalid and the honeypot value never reaches
    `cleaned_data`, so a view that saves only valid forms stores nothing."""

    honeypot_field_name: str = HONEYPOT_FIELD
    honeypot_message = gettext_lazy(
        "We could not process this form. Please try again, or contact the municipality.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_field_name] = HoneypotField()

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        filled = self.cleaned_data.pop(self.honeypot_field_name, "")
        if filled:
            self.add_error(None, ValidationError(self.honeypot_message, code="honeypot"))
        return cleaned_data

    @property
    def caught_by_honeypot(self) -> bool:
        """Whether the honeypot was filled in (for a view that wants to log or count it)."""
        return self.is_bound and bool(self.data.get(self.add_prefix(self.honeypot_field_name)))


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 429 page: too many posts from this address (RATELIMIT_VIEW)."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def public_form(rate: str = "5/m", *, key: str = "ip",
                group: str | None = None) -> Callable[[Callable], Callable]:
    """Limit a public form view to `rate` POSTs per client address (GETs are not counted).

    Over the limit, django-ratelimit raises `Ratelimited`, which its middleware turns into the
    429 page. The counter is per municipality: the cache key carries the schema name. Views
    that share a `group` share one counter (e.g. the steps of one sign-up)."""
    return ratelimit(group=group, key=key, rate=rate, method="POST", block=True)
