"""RFC 7807 problem details (`application/problem+json`) for the ministry's API only: a DRF
exception handler set on its views, not as the project default (the relations API keeps DRF's
own error format)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_TYPE = "application/problem+json"
API_VERSION = "1.0.0"
TITLES = {
    400: gettext_lazy("Bad request"), 401: gettext_lazy("Not authenticated"),
    403: gettext_lazy("Forbidden"), 404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"), 406: gettext_lazy("Not acceptable"),
    429: gettext_lazy("Too many requests"),
}


def problem(status_code: int, detail: str, *, headers: dict[str, str] | None = None
            ) -> Response:
    title = str(TITLES.get(status_code, _("Error")))
    body = {"type": "about:blank", "title": title, "status": status_code, "detail": detail}
    response = Response(body, status=status_code, content_type=PROBLEM_TYPE, headers=headers)
    response["API-Version"] = API_VERSION
    return response


def _detail(exc: Exception) -> str:
    if isinstance(exc, exceptions.APIException):
        detail: Any = exc.detail
        if isinstance(detail, dict):
            return "; ".join(f"{key}: {_flat(value)}" for key, value in detail.items())
        return _flat(detail)
    if isinstance(exc, Http404):
        return _("Not found.")
    return _("You do not have permission to perform this action.")


def _flat(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_flat(item) for item in value)
    return str(value)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django handles it (and logs it)
    if isinstance(exc, Http404):
        code = status.HTTP_404_NOT_FOUND
    elif isinstance(exc, PermissionDenied):
        code = status.HTTP_403_FORBIDDEN
    else:
        code = response.status_code
    headers = {name: value for name, value in response.items()
               if name in ("WWW-Authenticate", "Retry-After", "Allow")}
    return problem(code, _detail(exc), headers=headers)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any):
    """Any other address under /api/v1/: a problem, not the HTML 404 page."""
    from django.http import JsonResponse

    response = JsonResponse(
        {"type": "about:blank", "title": str(TITLES[404]), "status": 404,
         "detail": _("There is no API resource at this address.")},
        status=404, content_type=PROBLEM_TYPE)
    response["API-Version"] = API_VERSION
    return response
