"""The Content-Security-Policy header (django-csp), with one exception of our own.

The policy itself is in settings (CONTENT_SECURITY_POLICY, "Browser security"): every page
may be framed by nobody (frame-ancestors 'none'). Wagtail's preview views are shown inside
the page editor's preview panel and say so with `X-Frame-Options: SAMEORIGIN`
(`xframe_options_sameorigin_override`); frame-ancestors overrides X-Frame-Options in every
current browser, so those responses, and only those, get frame-ancestors 'self'.

The Wagtail admin (/cms-beheer/) keeps the same script-src, but its bundled React widgets
(wagtailadmin/js/vendor.js, in the page editor) add <style> elements at run time that carry
no nonce; so style-src there also allows 'unsafe-inline'. Styles cannot run script; the
admin's own HTML has no style attribute or <style> (tests/security/test_headers.py), and our
own pages keep style-src 'self'.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.http import HttpRequest, HttpResponseBase

WAGTAIL_ADMIN_PREFIX = "/cms-beheer/"  # werktop.urls_tenant


def may_be_framed_by_own_site(response: HttpResponseBase) -> bool:
    """The view asked for X-Frame-Options SAMEORIGIN (Wagtail's preview views do)."""
    return response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware; frame-ancestors 'self' where the view allows same-site framing,
    inline styles in the Wagtail admin.

    Must come before XFrameOptionsMiddleware in MIDDLEWARE (its response hook runs later),
    so the X-Frame-Options header is final when the policy is built."""

    def get_policy_parts(self, request: HttpRequest, response: HttpResponseBase,
                         report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        replace = dict(parts.replace or {})
        if may_be_framed_by_own_site(response):
            replace["frame-ancestors"] = [SELF]
        if request.path_info.startswith(WAGTAIL_ADMIN_PREFIX):
            replace["style-src"] = [SELF, UNSAFE_INLINE]
        parts.replace = replace or None
        return parts
