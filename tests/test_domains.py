"""Custom host names for a municipality (tenants.domains, manage.py add_domain)."""

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import tenant_context
from wagtail.models import Site

from tenants.domains import DomainError, add_domain
from tenants.models import Domain

from .conftest import client_for


def test_custom_domain_serves_the_municipality_portal(zoetermeer, settings):
    # Production with custom domains: ALLOWED_HOSTS=* and the domain table decides (below).
    settings.ALLOWED_HOSTS = ["*"]
    add_domain(zoetermeer, " Werk.Zoetermeer.NL. ")
    assert Domain.objects.get(domain="werk.zoetermeer.nl").tenant == zoetermeer
    response = client_for(zoetermeer).get("/", HTTP_HOST="werk.zoetermeer.nl")
    assert response.status_code == 200
    assert response.wsgi_request.tenant == zoetermeer


def test_with_any_host_allowed_an_unknown_host_still_gets_nothing(zoetermeer, settings):
    settings.ALLOWED_HOSTS = ["*"]
    response = client_for(zoetermeer).get("/", HTTP_HOST="werk.elders.nl")
    assert response.status_code == 404
    assert b"Zoetermeer" not in response.content


def test_primary_moves_and_the_portal_follows(zoetermeer):
    old = zoetermeer.get_primary_domain().domain
    call_command("add_domain", zoetermeer.cbs_code, "werk.zoetermeer.nl", "--primary")
    zoetermeer.refresh_from_db()
    assert zoetermeer.get_primary_domain().domain == "werk.zoetermeer.nl"
    assert Domain.objects.filter(tenant=zoetermeer, is_primary=True).count() == 1
    assert Domain.objects.filter(domain=old, is_primary=False).exists()  # still routes
    with tenant_context(zoetermeer):
        assert Site.objects.get(is_default_site=True).hostname == "werk.zoetermeer.nl"


def test_a_host_of_another_municipality_is_refused(zoetermeer, hilversum):
    theirs = hilversum.get_primary_domain().domain
    with pytest.raises(DomainError, match="al in gebruik"):
        add_domain(zoetermeer, theirs)
    assert Domain.objects.get(domain=theirs).tenant == hilversum


@pytest.mark.parametrize("host", ["", "localhost", "werk..nl", "https://werk.nl", "a_b.nl"])
def test_bad_host_names_are_refused(zoetermeer, host):
    with pytest.raises(CommandError, match="geen geldige hostnaam"):
        call_command("add_domain", zoetermeer.cbs_code, host)
