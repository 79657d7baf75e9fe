"""Each call to action on the home page reaches its form or list in one click: "Doe mee als
ondernemer" opens the employer sign-up form, "Kom naar een prettig gesprek" the list of
meetups. The information pages the editor chose stay one link away."""

import re

from tests.conftest import client_for


def _links(html: str) -> dict[str, str]:
    return {text.strip(): href for href, text in
            re.findall(r'<a class="utrecht-button-link[^"]*" href="([^"]+)">([^<]+)</a>', html)}


def test_the_calls_to_action_open_the_form_and_the_meetups(zoetermeer):
    client = client_for(zoetermeer)
    html = client.get("/").content.decode()
    links = _links(html)
    assert links["Doe mee als ondernemer"] == "/doe-mee-als-ondernemer/"
    assert links["Kom naar een prettig gesprek"] == "/bijeenkomsten/"
    assert client.get("/doe-mee-als-ondernemer/").status_code == 200
    assert client.get("/bijeenkomsten/").status_code == 200
    # The information pages for employers and job seekers are still linked from the home page.
    assert 'href="/werkgevers/"' in html and 'href="/werkzoekenden/"' in html
