"""One login: allauth's, with its second factor and lock-out.

Wagtail brings two more password forms (the admin's `/cms-beheer/login/` and the page-privacy
`/_util/login/`, both a plain Django LoginView) and shared-password forms for private pages and
document collections. Their URLs are taken over here, before Wagtail's own patterns: the login
forms redirect to allauth's (keeping `next`), the shared-password forms answer 404 (and the
settings WAGTAIL_PRIVATE_PAGE_OPTIONS / WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS stop editors from
choosing them). `tests/security/test_one_login.py` POSTs credentials to every URL pattern and
fails if anything but allauth's login signs someone in.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import URLPattern, path, reverse


def redirect_to(name: str, *, keep_query: bool = False) -> Callable[..., HttpResponseRedirect]:
    """A view that sends every method to allauth's page `name`, dropping anything posted."""
    def view(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseRedirect:
        url = reverse(name)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(f"{url}?{query}" if keep_query and query else url)
    return view


_to_allauth_login = redirect_to("account_login", keep_query=True)


def to_allauth_login(request: HttpRequest, *args: object, **kwargs: object
                     ) -> HttpResponseRedirect:
    """Wagtail sends here whoever may not see an admin or private page. Anonymous: to
    allauth's login (and back). Signed in without the right: 403, not the login page, which
    would send them straight back here (a redirect loop)."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return _to_allauth_login(request)


def gone(request: HttpRequest, *args: object, **kwargs: object):
    raise Http404


def wagtail_login_overrides() -> list[URLPattern]:
    """Patterns that shadow Wagtail's password forms in a municipality's urlconf."""
    return [
        path("cms-beheer/login/", to_allauth_login),
        path("cms-beheer/password_reset/", redirect_to("account_reset_password")),
        path("cms-beheer/password_reset/<path:rest>", redirect_to("account_reset_password")),
        path("cms-beheer/account/change_password/", redirect_to("account_change_password")),
        path("_util/login/", to_allauth_login),
        path("_util/authenticate_with_password/<path:rest>", gone),
        path("documenten/authenticate_with_password/<path:rest>", gone),
    ]
