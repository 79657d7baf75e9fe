"""Wagtail admin hooks of the portal."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail import hooks

from .admin_csp import patch_chooser_render

# Chooser widgets without inline scripts (Content-Security-Policy): see cms/admin_csp.py.
patch_chooser_render()


@hooks.register("insert_global_admin_js")
def admin_init_script() -> SafeString:
    """Starts the admin's widgets from their inert markers (cms/admin_csp.py)."""
    return format_html('<script src="{}"></script>', static("cms/admin-init.js"))
