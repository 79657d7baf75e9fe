"""Every label of every form shows beside (above) its field, never behind it (issue: on every
field with help text the label box was 0 px wide and the field was drawn over it; axe-core does
not see that). For each visible control of the page's forms, empty and after a submit with
errors, at 390 px and 1280 px: its label is visible, at least 1 px wide and high, the element
at the label's centre is the label itself (nothing covers it), and the label overlaps neither
its field nor the field's error text."""

import os
import shutil

import pytest
from django.db import connection

from accounts.roles import Role
from tenants.models import Municipality
from tests.conftest import PASSWORD
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, web_server

pytestmark = pytest.mark.e2e
__all__ = ["web_server"]
VIEWPORTS = ({"width": 390, "height": 844}, {"width": 1280, "height": 900})

# (host, role or None for anonymous, path): the forms of the portal, the workspace and the
# national site.
FORMS = [
    ("zoetermeer", None, "/doe-mee-als-ondernemer/"),
    ("zoetermeer", None, "/account/login/"),
    ("national", None, "/aanmelden/"),
    ("zoetermeer", Role.RELATIONSHIP_MANAGER, "/werkplek/werkgevers/nieuw/"),
    ("zoetermeer", Role.RELATIONSHIP_MANAGER, "/werkplek/kandidaten/nieuw/"),
    ("zoetermeer", Role.RELATIONSHIP_MANAGER, "/werkplek/kandidaten/"),
    ("zoetermeer", Role.RELATIONSHIP_MANAGER, "/werkplek/bijeenkomsten/nieuw/"),
    ("zoetermeer", Role.RELATIONSHIP_MANAGER, "/werkplek/kansen/nieuw/"),
    ("zoetermeer", Role.RELATIONSHIP_MANAGER, "/werkplek/plaatsingen/nieuw/"),
    ("zoetermeer", Role.COORDINATOR, "/werkplek/doelen/periode/"),
    ("zoetermeer", Role.COORDINATOR, "/werkplek/instellingen/"),
    ("zoetermeer", Role.EMPLOYER, "/mijn-bedrijf/kansen/nieuw/"),
]

# For each visible control: where its label is and what is wrong with it.
CHECK_LABELS = """
() => {
  const problems = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const overlap = (a, b) => !(a.right <= b.left + 1 || b.right <= a.left + 1 ||
                              a.bottom <= b.top + 1 || b.bottom <= a.top + 1);
  const forms = [...document.querySelectorAll('main form, form.werktop-main-form')];
  const controls = forms.flatMap(f => [...f.querySelectorAll('input, select, textarea')]);
  for (const control of controls) {
    if (control.type === 'hidden' || control.type === 'submit' || !visible(control)) continue;
    if (control.closest('[aria-hidden="true"]') || control.tabIndex < 0) continue;  // honeypot
    const label = control.labels && control.labels[0]
      || control.closest('fieldset')?.querySelector('legend');
    const name = control.name || control.id;
    if (!label) { problems.push(`${name}: no label`); continue; }
    label.scrollIntoView({block: 'center'});
    const l = label.getBoundingClientRect();
    if (l.width < 1 || l.height < 1) {
      problems.push(`${name}: label ${l.width}x${l.height}`);
      continue;
    }
    // The first line box (an inline label that wraps has a gap between its lines).
    const first = label.getClientRects()[0] || l;
    const x = first.left + Math.min(first.width / 2, 20), y = first.top + first.height / 2;
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(hit === label || label.contains(hit))) {
      const what = hit ? `${hit.tagName.toLowerCase()} ${hit.name || hit.className}` : 'nothing';
      problems.push(`${name}: label covered by <${what}>`);
    }
    const isChoice = control.type === 'checkbox' || control.type === 'radio';
    if (!isChoice && !label.contains(control) && overlap(l, control.getBoundingClientRect()))
      problems.push(`${name}: label overlaps its field`);
    const field = control.closest('.werktop-field');
    for (const error of field ? field.querySelectorAll('.errorlist') : []) {
      if (overlap(l, error.getBoundingClientRect())) {
        problems.push(`${name}: label overlaps its error`);
      }
    }
  }
  return problems;
}
"""


def _submit_main_form(page) -> None:
    """Submit the form with the most fields, as it is (empty): its errors show."""
    found = page.evaluate("""() => {
      const forms = [...document.querySelectorAll('main form')].filter(f => f.method === 'post');
      forms.sort((a, b) => b.elements.length - a.elements.length);
      if (!forms[0]) return false;
      forms[0].setAttribute('novalidate', '');
      forms[0].setAttribute('data-label-check', '');
      return true;
    }""")
    if found:
        page.locator("form[data-label-check] [type=submit]").last.click()
        page.wait_for_load_state()


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_every_label_shows_beside_its_field(web_server, committed, committed_user):
    from playwright.sync_api import sync_playwright

    emails = {}
    with committed():
        zoetermeer = Municipality.objects.get(cbs_code="GM0637")
        for role in {role for _host, role, _path in FORMS if role}:
            email = f"labels-{role.value}@zoetermeer.example"
            committed_user(zoetermeer, role, email)
            emails[role] = email
        connection.close()

    hosts = {"zoetermeer": f"http://zoetermeer.localhost:{web_server}",
             "national": f"http://localhost:{web_server}"}
    problems = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for viewport in VIEWPORTS:
                sessions = {}
                for host, role, path in FORMS:
                    key = (host, role)
                    if key not in sessions:
                        context = browser.new_context(viewport=viewport)
                        page = context.new_page()
                        if role:
                            page.goto(hosts[host] + "/account/login/")
                            page.fill("input[name=login]", emails[role])
                            page.fill("input[name=password]", PASSWORD)
                            page.click("form[action='/account/login/'] button[type=submit]")
                            page.wait_for_load_state()
                        sessions[key] = page
                    page = sessions[key]
                    response = page.goto(hosts[host] + path)
                    assert response.status == 200, (path, role, response.status)
                    for state in ("empty", "with errors"):
                        if state == "with errors":
                            _submit_main_form(page)
                        for problem in page.evaluate(CHECK_LABELS):
                            problems.append(f"{viewport['width']}px {path} ({state}): {problem}")
        finally:
            browser.close()
    assert problems == []
