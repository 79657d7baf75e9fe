"""A municipality's URLs plus `/__hello__/`, the framework's floor for the portal benchmark:
the same middleware and tenant lookup as a portal page, then a view that only says hello."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from werktop.urls_tenant import urlpatterns as tenant_urlpatterns

HELLO_PATH = "/__hello__/"


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello")


urlpatterns = [path(HELLO_PATH.strip("/") + "/", hello), *tenant_urlpatterns]
