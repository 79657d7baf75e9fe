"""A municipality's URLs plus a test-only public form (the portal has no public form yet).

The form saves a taggit Tag (a table every municipality schema has) so the tests can check
that rejected posts store nothing."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path
from taggit.models import Tag

from core.antispam import HoneypotFormMixin, public_form
from werktop.urls_tenant import urlpatterns as tenant_urlpatterns

FORM_PATH = "/proef-formulier/"
RATE = "3/h"  # an hour, so a window boundary cannot fall inside a test
PAGE = engines["django"].from_string(
    '{% extends "werktop/base.html" %}{% block content %}'
    '<form method="post">{% csrf_token %}{{ form }}<button>Verstuur</button></form>'
    "{% endblock %}")


class SignUpForm(HoneypotFormMixin, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]


@public_form(rate=RATE)
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        return HttpResponse("Bedankt", status=201)
    return HttpResponse(PAGE.render({"form": form}, request))


urlpatterns = [path(FORM_PATH.strip("/") + "/", sign_up), *tenant_urlpatterns]
