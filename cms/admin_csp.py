"""The Wagtail admin without inline scripts (Content-Security-Policy, see settings).

Wagtail 8 starts a few widgets with an inline `<script>` next to the widget: the date, time
and date-time pickers and the inline panels (templates, overridden in
platform/core/templates/wagtailadmin/), and the chooser widgets (page, image, document,
snippet, task), whose `BaseChooser.render()` writes `<script>new PageChooser(...)</script>`
in Python. Widget templates get no request, so no nonce; and the same HTML also arrives
through fetch() (modals, the inline panel's empty form), where a nonce of another response
would not match anyway.

Instead each of them writes an inert marker::

    <template data-werktop-init="PageChooser" data-werktop-id="id_page"
              data-werktop-options='{"modalUrl": ...}'></template>

and cms/static/cms/admin-init.js (loaded on every admin page by the
`insert_global_admin_js` hook) calls the named initialiser, from a fixed list, for every
marker in the page and for every marker added later. No code travels in the HTML.

`BaseChooser.render()` is the one piece of Wagtail replaced here (`patch_chooser_render`);
`tests/security/test_headers.py` renders every chooser widget and fails when a new Wagtail
version writes an inline script again.
"""

import json
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

# The initialisers admin-init.js may call (keep both lists the same).
INITIALISERS = frozenset({
    "initDateChooser", "initTimeChooser", "initDateTimeChooser", "InlinePanel",
    "MultipleChooserPanel", "Chooser", "PageChooser", "ImageChooser", "DocumentChooser",
    "SnippetChooser", "createTaskChooser",
})


def init_marker(initialiser: str, element_id: str = "", options: Any = None) -> SafeString:
    """An inert element asking admin-init.js to call `initialiser(element_id, options)`."""
    if initialiser not in INITIALISERS:
        raise ValueError(f"admin-init.js does not know {initialiser!r}")
    return format_html(
        '<template data-werktop-init="{}" data-werktop-id="{}" data-werktop-options="{}">'
        "</template>", initialiser, element_id, json.dumps(options))


def _chooser_render(self: Any, name: str, value: Any, attrs: dict | None = None,
                    renderer: Any = None) -> SafeString:
    """BaseChooser.render() of Wagtail 8 with the inline <script> replaced by a marker."""
    from wagtail.admin.widgets.chooser import BaseChooser
    from wagtail.admin.widgets.workflows import AdminTaskChooser

    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as e:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    if isinstance(self, AdminTaskChooser):
        marker = init_marker("createTaskChooser", id_)  # its render_js_init takes no options
    elif type(self).render_js_init is BaseChooser.render_js_init:
        marker = init_marker(self.js_constructor, id_,
                             self.get_js_init_options(id_, name, value_data))
    else:  # a chooser with its own initialiser: Wagtail's inline script (the test notices)
        return _original_render(self, name, value, attrs, renderer)
    return format_html("{}{}", widget_html, marker)  # both are SafeStrings: kept as they are


_original_render = None


def patch_chooser_render() -> None:
    """Replace BaseChooser.render (once)."""
    global _original_render
    from wagtail.admin.widgets.chooser import BaseChooser

    if _original_render is None:
        _original_render = BaseChooser.render
        BaseChooser.render = _chooser_render
