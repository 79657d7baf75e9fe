"""Browser security headers on every page type, and no inline script anywhere.

Every GET-able URL pattern of both sites is requested (a municipality's as its coordinator,
the Wagtail admin as its editor, the national site as an operator and as a ministry analyst),
plus every portal page type anonymously (twice: rendered and from the page cache), the page
editor of every page type, the error pages, the unknown-host page, both APIs and the OpenAPI
document. Each answer must carry:

- a Content-Security-Policy whose script-src is our own host plus at most the nonce of this
  response (never 'unsafe-inline' or 'unsafe-eval'), style-src our own host (plus
  'unsafe-inline' in the Wagtail admin, see core/csp.py), object-src
  'none', base-uri 'self' and frame-ancestors 'none' ('self' only with X-Frame-Options
  SAMEORIGIN: Wagtail's preview panel);
- X-Content-Type-Options nosniff, a Referrer-Policy, X-Frame-Options DENY;

and no HTML (also HTML inside a JSON answer: Wagtail's modals) may hold a `<script>` without
src that lacks this response's nonce (JSON data blocks excepted), an on*= event handler, a
javascript: URL, a <style> element or a style="" attribute. The number of answers checked
is printed (run with -s).
"""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import get_resolver
from django_tenants.utils import schema_context, tenant_context
from rest_framework.authtoken.models import Token
from wagtail.models import Page, Site

from accounts.roles import Role
from cms.admin_csp import INITIALISERS, init_marker
from tests.cms.test_pages import DEFAULT_TREE
from tests.conftest import PASSWORD, client_for, host_of, make_user
from tests.security.test_tenant_isolation_suite import a_world, fill, iter_patterns

pytestmark = pytest.mark.django_db
REFERRER_POLICIES = {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}
SKIP_GET = ("logout",)  # a GET shows a confirmation at most; kept out to stay logged in
INTENDED_500 = "/cms-beheer/failwhale/"  # Wagtail's own "does the 500 page work" view


def policy_of(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *values = part.split()
        directives[name] = values
    return directives


class _Scan(HTMLParser):
    """Collects what a strict policy forbids in one HTML document or fragment."""

    def __init__(self, nonce: str | None):
        super().__init__(convert_charrefs=True)
        self.nonce, self.problems = nonce, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> (event handler)")
            elif name == "style":
                self.problems.append(f"<{tag} style=...>")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if "nonce" in values and values["nonce"] != self.nonce:
            self.problems.append(f"<{tag}> with another response's nonce")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and not values.get("src"):
            data = (values.get("type") or "").lower() in ("application/json",
                                                           "application/ld+json")
            if not data and (not self.nonce or values.get("nonce") != self.nonce):
                self.problems.append(f"inline <script {values}> without this nonce")


def problems_in(response, label: str, admin: bool = False) -> list[str]:
    problems = []
    policy = policy_of(response)
    if not policy:
        return [f"{label}: no Content-Security-Policy"]
    if response.get("Content-Disposition", "").startswith("attachment"):
        # A download (private file, export, document): the stricter policy of
        # core.files.DOWNLOAD_HEADERS, nothing in it may run even if a browser showed it.
        if "sandbox" not in policy or policy.get("default-src") != ["'none'"]:
            problems.append(f"{label}: download without the sandbox policy {policy}")
        if response.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{label}: no nosniff")
        return problems
    script_src = policy.get("script-src", [])
    nonces = [v[len("'nonce-"):-1] for v in script_src if v.startswith("'nonce-")]
    if "'self'" not in script_src or set(script_src) - {"'self'", *(f"'nonce-{n}'" for n in
                                                                   nonces)}:
        problems.append(f"{label}: script-src {script_src}")
    # The Wagtail admin's React widgets add <style> elements at run time (core/csp.py).
    styles = ["'self'", "'unsafe-inline'"] if admin else ["'self'"]
    for directive, expected in (("style-src", styles), ("object-src", ["'none'"]),
                                ("base-uri", ["'self'"]), ("default-src", ["'self'"])):
        if policy.get(directive) != expected:
            problems.append(f"{label}: {directive} {policy.get(directive)}")
    framed = response.get("X-Frame-Options") == "SAMEORIGIN"
    if policy.get("frame-ancestors") != (["'self'"] if framed else ["'none'"]):
        problems.append(f"{label}: frame-ancestors {policy.get('frame-ancestors')}")
    if not framed and response.get("X-Frame-Options") != "DENY":
        problems.append(f"{label}: X-Frame-Options {response.get('X-Frame-Options')}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{label}: no nosniff")
    if response.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"{label}: Referrer-Policy {response.get('Referrer-Policy')}")
    if response.streaming:
        return problems
    content_type = response.get("Content-Type", "")
    fragments = []
    if content_type.startswith("text/html"):
        fragments.append(response.content.decode("utf-8", "replace"))
    elif "json" in content_type:
        try:
            data = json.loads(response.content)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("html"), str):
            fragments.append(data["html"])  # a Wagtail modal: inserted into another page
            nonces = []  # whose nonce is not this response's
    for fragment in fragments:
        scan = _Scan(nonces[0] if nonces else None)
        scan.feed(fragment)
        problems += [f"{label}: {problem}" for problem in scan.problems]
    return problems


class Checker:
    def __init__(self):
        self.checked, self.problems = 0, []

    def get(self, client: Client, path: str, label: str = "", **extra):
        response = client.get(path, **extra)
        self.checked += 1
        label = f"{label or path} ({response.status_code})"
        if response.status_code >= 500 and not path.endswith(INTENDED_500):
            self.problems.append(f"{label}: server error")
        self.problems += problems_in(response, label, admin=path.startswith("/cms-beheer/"))
        return response

    def report(self, capsys, what: str) -> None:
        with capsys.disabled():
            print(f"\nheaders: {self.checked} answers checked ({what}), "  # noqa: T201
                  f"{len(self.problems)} problems")
        assert not self.problems, "\n".join(self.problems[:60])


def logged_in(municipality, email: str) -> Client:
    client = Client(HTTP_HOST=host_of(municipality), raise_request_exception=False)
    assert client.post("/account/login/", {"login": email, "password": PASSWORD}
                       ).status_code == 302
    return client


def test_every_page_of_a_municipality(zoetermeer, capsys):
    variants, _markers = a_world(zoetermeer)
    values = variants[0]
    make_user(zoetermeer, Role.EDITOR, "editor@zoetermeer.example")
    coordinator = logged_in(zoetermeer, "a-coordinator@zoetermeer.example")
    editor = logged_in(zoetermeer, "editor@zoetermeer.example")
    anonymous = Client(HTTP_HOST=host_of(zoetermeer), raise_request_exception=False)
    checker = Checker()

    for route in iter_patterns(get_resolver("werktop.urls_tenant").url_patterns):
        if any(word in route for word in SKIP_GET):
            continue
        client = editor if route.startswith("cms-beheer/") else coordinator
        checker.get(client, fill(route, values))

    with tenant_context(zoetermeer):
        pages = [(p.pk, p.specific_class.__name__, p.url_path) for p in Page.objects.filter(
            depth__gt=1)]
        home = Page.objects.get(depth=2)
        site = Site.objects.get()
    assert {name for _pk, name, _url in pages} >= {cls.__name__ for cls in DEFAULT_TREE.values()}
    for pk, name, _url in pages:  # the page editor of every page type (date fields, choosers)
        checker.get(editor, f"/cms-beheer/pages/{pk}/edit/", f"editor of {name}")
    admin_pages = [
        "/cms-beheer/", f"/cms-beheer/pages/{home.pk}/", "/cms-beheer/pages/add/cms/contentpage/"
        f"{home.pk}/", f"/cms-beheer/pages/{home.pk}/history/", "/cms-beheer/images/",
        "/cms-beheer/images/chooser/", "/cms-beheer/images/chooser/?q=x&p=1",
        "/cms-beheer/images/multiple/add/", "/cms-beheer/documents/",
        "/cms-beheer/documents/chooser/", "/cms-beheer/documents/multiple/add/",
        "/cms-beheer/choose-page/", f"/cms-beheer/choose-page/{home.pk}/",
        f"/cms-beheer/settings/cms/branding/{site.pk}/", "/cms-beheer/sites/",
        f"/cms-beheer/sites/edit/{site.pk}/", "/cms-beheer/redirects/add/",
        "/cms-beheer/users/", "/cms-beheer/groups/", "/cms-beheer/reports/locked/",
        "/cms-beheer/reports/site-history/", "/cms-beheer/reports/aging-pages/",
        "/cms-beheer/snippets/", "/cms-beheer/workflows/list/", "/cms-beheer/workflows/add/",
        "/cms-beheer/account/", "/cms-beheer/login/",
    ]
    for path in admin_pages:
        checker.get(editor, path)

    for _pk, name, url in pages:  # the portal, rendered and from the cache
        path = url.split("/", 2)[2] if url.count("/") > 2 else ""
        for attempt in ("miss", "hit"):
            checker.get(anonymous, f"/{path}", f"portal {name} ({attempt})")
    checker.get(anonymous, "/bestaat-niet/", "404 page")
    checker.get(anonymous, "/werkplek/", "login redirect")
    checker.get(anonymous, "/account/login/")
    checker.get(coordinator, "/api/v1/", "API root")
    checker.get(coordinator, "/api/v1/kandidaten/?format=json", "API list")
    checker.report(capsys, "municipality")


def test_every_page_of_the_national_site(national, capsys):
    operator = make_user(national, Role.OPERATOR, "beheer@werktop.example")
    analyst = make_user(national, Role.MINISTRY_ANALYST, "analist@ministerie.example")
    with schema_context("public"):
        token = Token.objects.create(user=analyst)
    operator_client, analyst_client = (logged_in(national, user.email)
                                       for user in (operator, analyst))
    anonymous = Client(HTTP_HOST=host_of(national), raise_request_exception=False)
    values = {"cbs_code": "GM0637", "uuid": "00000000-0000-0000-0000-000000000000",
              "format": "json", "drf_format_suffix": "json"}
    checker = Checker()
    for route in iter_patterns(get_resolver("werktop.urls_public").url_patterns):
        if any(word in route for word in SKIP_GET):
            continue
        for client in (operator_client, analyst_client, anonymous):
            checker.get(client, fill(route, values))
    api = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    checker.get(anonymous, "/api/v1/gemeenten/", "ministry API", **api)
    checker.get(anonymous, "/api/v1/gemeenten/GM0637/", "ministry API detail", **api)
    checker.get(anonymous, "/api/v1/gemeenten/", "ministry API without token")
    checker.get(anonymous, "/api/v1/schema/", "OpenAPI document")
    checker.get(anonymous, "/bestaat-niet/", "404 page")
    unknown = Client(HTTP_HOST="onbekend.localhost", raise_request_exception=False)
    checker.get(unknown, "/", "unknown host page")
    checker.report(capsys, "national site")


def test_the_403_page(zoetermeer):
    make_user(zoetermeer, Role.CANDIDATE, "kandidaat@zoetermeer.example")
    client = logged_in(zoetermeer, "kandidaat@zoetermeer.example")
    response = client.get("/werkplek/")
    assert response.status_code == 403
    assert problems_in(response, "403") == []


@pytest.mark.urls("tests.portal.urls")
def test_the_429_page(zoetermeer):
    from tests.portal.urls import FORM_PATH

    client = client_for(zoetermeer)
    for n in range(4):
        response = client.post(FORM_PATH, {"name": f"n{n}", "slug": f"n{n}"},
                               REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert problems_in(response, "429") == []


def test_the_checks_fail_on_what_they_look_for(zoetermeer):
    """The scanner itself: each forbidden construct is reported."""
    from django.http import HttpResponse

    def answer(body: str, policy: str = "script-src 'self' 'nonce-abc'") -> list[str]:
        response = HttpResponse(body)
        response["Content-Security-Policy"] = (
            f"default-src 'self'; {policy}; style-src 'self'; object-src 'none'; "
            "base-uri 'self'; frame-ancestors 'none'")
        response["X-Frame-Options"] = "DENY"
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "same-origin"
        return problems_in(response, "t")

    assert answer('<script nonce="abc">ok()</script><script src="/a.js"></script>'
                  '<script type="application/json">{}</script>') == []
    assert answer("<script>alert(1)</script>")
    assert answer('<script nonce="old">alert(1)</script>')
    assert answer('<button onclick="x()">')
    assert answer('<a href=" JavaScript:x()">')
    assert answer('<p style="color:red">') and answer("<style>p{}</style>")
    assert answer("", "script-src 'self' 'unsafe-inline'")
    assert answer("", "script-src 'self' 'unsafe-eval'")
    assert problems_in(HttpResponse("x"), "t") == ["t: no Content-Security-Policy"]


def test_no_chooser_or_date_widget_writes_an_inline_script():
    """Wagtail's widgets start from inert markers (cms/admin_csp.py); a new Wagtail version
    that writes an inline script again fails here."""
    from wagtail.admin.widgets import (
        AdminDateInput,
        AdminDateTimeInput,
        AdminPageChooser,
        AdminTimeInput,
    )
    from wagtail.admin.widgets.workflows import AdminTaskChooser
    from wagtail.documents.widgets import AdminDocumentChooser
    from wagtail.images.widgets import AdminImageChooser

    import cms.wagtail_hooks  # noqa: F401 - applies the chooser patch

    # (No snippet models are registered: AdminSnippetChooser is a BaseChooser like these.)
    widgets = [AdminDateInput(), AdminTimeInput(), AdminDateTimeInput(), AdminPageChooser(),
               AdminImageChooser(), AdminDocumentChooser(), AdminTaskChooser()]
    for widget in widgets:
        html = str(widget.render("veld", None, {"id": "id_veld"}))
        assert "<script" not in html, (type(widget).__name__, html)
        marker = re.search(r'data-werktop-init="(\w+)"', html)
        assert marker and marker[1] in INITIALISERS, type(widget).__name__
    with pytest.raises(ValueError):
        init_marker("alert")


def test_hsts_in_production():
    """HSTS lives in production.py (plain http elsewhere): read the production module."""
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT,"
            " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['upgrade-insecure-requests'],"
            " s.X_FRAME_OPTIONS, s.SECURE_CONTENT_TYPE_NOSNIFF)")
    from tests.test_settings import GOOD_KEY, REPO, STRIPE

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "werktop.settings.production",
             "SECRET_KEY": GOOD_KEY, "DEBUG": "false", **STRIPE})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True", "True", "DENY", "True"]


def test_hsts_header_on_a_secure_request(zoetermeer, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client_for(zoetermeer).get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert problems_in(response, "https portal") == []
    plain = client_for(zoetermeer).get("/")
    assert "Strict-Transport-Security" not in plain  # browsers ignore it over http anyway


@pytest.mark.parametrize(("template", "initialiser"), [
    ("wagtailadmin/panels/inline_panel.html", "InlinePanel"),
    ("wagtailadmin/panels/multiple_chooser_panel.html", "MultipleChooserPanel"),
])
def test_inline_panels_start_from_a_marker(template, initialiser):
    """Our overrides (platform/core/templates/wagtailadmin/panels/) of Wagtail's inline
    panels: the page types have none yet, so they are rendered here on their own."""
    from types import SimpleNamespace

    from django.template.loader import get_template

    formset = SimpleNamespace(prefix="kids", non_form_errors=[], management_form="")
    panel = SimpleNamespace(formset=formset, children=[], empty_child=None, help_text="",
                            label="kind", icon=None)
    html = get_template(template).render({
        "self": panel, "options_json": '{"formsetPrefix": "id_kids"}',
        "chooser_widget_definition": {"widget": 1}})
    scan = _Scan(None)
    scan.feed(html)
    assert scan.problems == []
    assert f'data-werktop-init="{initialiser}"' in html
