"""Landing pages per role after login. Later issues fill them; the access rules hold now."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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


def _placeholder(request: HttpRequest, title: str, text: str) -> HttpResponse:
    return render(request, "accounts/placeholder.html", {"title": title, "text": text})


@login_required
@permission_required("accounts.access_workspace", raise_exception=True)
def workspace(request: HttpRequest) -> HttpResponse:
    return _placeholder(request, _("Workspace"), _(
        "Here you will find your employers, candidates, meetups and your day list."))


@login_required
@permission_required("accounts.access_employer_portal", raise_exception=True)
def my_company(request: HttpRequest) -> HttpResponse:
    return _placeholder(request, _("My company"), _(
        "Here you will find your opportunities and the meetups you take part in."))


@login_required
@permission_required("accounts.access_candidate_portal", raise_exception=True)
def my_meetups(request: HttpRequest) -> HttpResponse:
    return _placeholder(request, _("My meetups"), _(
        "Here you will find the meetups you registered for."))


@login_required
@permission_required("accounts.view_ministry_dashboard", raise_exception=True)
def ministry_dashboard(request: HttpRequest) -> HttpResponse:
    return _placeholder(request, _("Ministry dashboard"), _(
        "Here you will compare the results of the participating municipalities."))


@login_required
@permission_required("accounts.operate_platform", raise_exception=True)
def operator_home(request: HttpRequest) -> HttpResponse:
    return _placeholder(request, _("Platform management"), _(
        "Here you will manage municipalities and subscriptions."))
