""""Doe mee als ondernemer" (/doe-mee-als-ondernemer/): the public employer sign-up.

Anonymous, so protected by a honeypot and a per-address rate limit (`core.antispam`); never
cached (CSRF). Post/redirect/get: the thank-you page shows what was received from the
session, escaped like everything else."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.antispam import public_form

from ..services.signup import sign_up_employer
from .forms import SERVICE_FIELD_NAMES, EmployerSignUpForm

RATE = "10/h"  # sign-ups per client address per hour, per municipality
SESSION_KEY = "werktop_employer_signup"
TEMPLATES = "matching_events/signup/"


def _add_service_errors(form: EmployerSignUpForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(SERVICE_FIELD_NAMES.get(field), messages)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@public_form(rate=RATE)
def employer_signup(request: HttpRequest) -> HttpResponse:
    form = EmployerSignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            signup = sign_up_employer(**form.service_arguments())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            request.session[SESSION_KEY] = {"company": form.cleaned_data["company_name"],
                                            "title": signup.opportunity.title}
            return redirect("employer_signup_done")
    return render(request, f"{TEMPLATES}form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "HEAD"])
def employer_signup_done(request: HttpRequest) -> HttpResponse:
    """The thank-you page (shown once with the details; afterwards without them)."""
    received = request.session.pop(SESSION_KEY, None) if request.method == "GET" else None
    response = render(request, f"{TEMPLATES}done.html", {"received": received})
    response["X-Robots-Tag"] = "noindex"
    return response
