"""Landing pages per role after login. Later issues fill them; the access rules hold now."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

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


def _role_page(permission: str, title: str, text: str):
    """A start page for one role; later issues replace these placeholders with the real work."""

    @login_required
    @permission_required(permission, raise_exception=True)
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/placeholder.html", {"title": title, "text": text})

    return view


workspace = _role_page("accounts.access_workspace", _("Workspace"), _(
    "Here you will find your employers, candidates, meetups and your day list."))
my_company = _role_page("accounts.access_employer_portal", _("My company"), _(
    "Here you will find your opportunities and the meetups you take part in."))
my_meetups = _role_page("accounts.access_candidate_portal", _("My meetups"), _(
    "Here you will find the meetups you registered for."))
ministry_dashboard = _role_page("accounts.view_ministry_dashboard", _("Ministry dashboard"), _(
    "Here you will compare the results of the participating municipalities."))
operator_home = _role_page("accounts.operate_platform", _("Platform management"), _(
    "Here you will manage municipalities and subscriptions."))
