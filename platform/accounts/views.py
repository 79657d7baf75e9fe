"""Landing pages per role after login: `after_login` sends a user to the start page of their
role (by URL name), and placeholder start pages for the roles without their own pages yet.
The portal pages of employer and candidate accounts are in `matching_events.portal.views`."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from .roles import Role, user_roles

# Where each role starts; the first role that matches wins.
START_PAGES: list[tuple[Role, str]] = [
    (Role.COORDINATOR, "workspace"),
    (Role.RELATIONSHIP_MANAGER, "workspace"),
    (Role.EDITOR, "wagtailadmin_home"),
    (Role.EMPLOYER, "my_company"),
    (Role.CANDIDATE, "my_meetups"),
    (Role.OPERATOR, "operator_home"),
    (Role.MINISTRY_ANALYST, "ministry_dashboard"),
]


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send a user to the start page of their role."""
    roles = user_roles(request.user)
    for role, url_name in START_PAGES:
        if role in roles:
            return redirect(url_name)
    return redirect("/")


def _role_page(permission: str, title: str, text: str) -> Callable[[HttpRequest], HttpResponse]:
    """A start page for one role; later issues replace these placeholders with the real work."""

    @login_required
    @permission_required(permission, raise_exception=True)
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/placeholder.html", {"title": title, "text": text})

    return view


workspace = _role_page("accounts.access_workspace", gettext_lazy("Workspace"), gettext_lazy(
    "Here you will find your employers, candidates, meetups and your day list."))
ministry_dashboard = _role_page(
    "accounts.view_ministry_dashboard", gettext_lazy("Ministry dashboard"), gettext_lazy(
        "Here you will compare the results of the participating municipalities."))
