"""The users of the mixed-load benchmark (run by tests/benchmarks/bench_load.py, not directly).

Three kinds of users, each sticking to one of the municipalities in the plan (LOAD_PLAN, a JSON
file the benchmark writes): portal visitors reading pages, candidates registering for a meetup
through the portal form, and relationship managers working in the workspace (log in, lists,
a candidate's file, a contact moment). Every request is named "<kind>: <page>" and recorded
(kind, milliseconds, ok) into LOAD_OUT/requests-<pid>.jsonl; every registration the server
accepted (a redirect to "check your e-mail") is written to LOAD_OUT/registrations-<pid>.jsonl,
so the benchmark can check each one is in the database exactly once.

The Host header picks the municipality (all servers listen on 127.0.0.1)."""

import itertools
import json
import os
import random
import re
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
OUT = Path(os.environ["LOAD_OUT"])
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_records: list[str] = []
_registrations: list[str] = []
_managers = itertools.count()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kwargs):
    _records.append(json.dumps([name.split(":", 1)[0], round(response_time, 2),
                                exception is None]))


@events.quitting.add_listener
def _write(**_kwargs):
    pid = os.getpid()
    (OUT / f"requests-{pid}.jsonl").write_text("\n".join(_records) + "\n")
    (OUT / f"registrations-{pid}.jsonl").write_text("\n".join(_registrations) + "\n")


def _reason(response) -> str:
    """"HTTP 503", or for no answer at all (status 0) the exception, e.g. a reset connection."""
    if response.status_code == 0 and response.error is not None:
        return f"no answer: {type(response.error).__name__}: {response.error}"
    return f"HTTP {response.status_code}"


class _MunicipalityUser(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.place = random.choice(PLAN["municipalities"])  # noqa: S311 - load, not security
        self.client.headers["Host"] = self.place["host"]

    def get(self, path: str, name: str, **kwargs):
        with self.client.get(path, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(_reason(response))
            return response

    def csrf(self, html: str) -> str:
        match = CSRF_INPUT.search(html)
        return match.group(1) if match else ""


class PortalVisitor(_MunicipalityUser):
    """Someone reading the portal: the home page, the meetups, a meetup, the other pages."""

    weight = 6
    wait_time = between(1, 4)

    @task(3)
    def home(self) -> None:
        self.get("/", "portal: home")

    @task(2)
    def meetups(self) -> None:
        self.get(self.place["meetup_index"], "portal: meetup index")

    @task(2)
    def meetup(self) -> None:
        self.get(random.choice(self.place["meetup_paths"]), "portal: meetup")  # noqa: S311

    @task(1)
    def other_page(self) -> None:
        self.get(random.choice(self.place["portal_paths"]), "portal: page")  # noqa: S311


class Registrant(_MunicipalityUser):
    """A candidate who opens the meetup page, fills in the form and sends it."""

    weight = 2
    wait_time = between(2, 6)

    @task
    def register(self) -> None:
        path = self.place["registration_path"]
        page = self.get(path, "registration: form")
        if page.status_code != 200:
            return
        email = f"load-{uuid.uuid4().hex[:16]}@example.org"
        data = {"csrfmiddlewaretoken": self.csrf(page.text), "first_name": "Belasting",
                "last_name": f"Test {email[5:13]}", "email": email, "phone": "",
                "interests": "Werken met mensen", "needs_note": "", "homepage": ""}
        with self.client.post(path, data=data, name="registration: send",
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code == 302:
                _registrations.append(json.dumps([self.place["schema"], email]))
            else:
                response.failure(_reason(response))


class RelationshipManager(_MunicipalityUser):
    """A relationship manager: logs in once, then goes through the day's work."""

    weight = 2
    wait_time = between(2, 6)

    def on_start(self) -> None:
        number = next(_managers)
        places = PLAN["municipalities"]
        self.place = places[number % len(places)]
        self.client.headers["Host"] = self.place["host"]
        login = self.get("/account/login/", "workspace: login form")
        with self.client.post("/account/login/", name="workspace: log in", allow_redirects=False,
                              catch_response=True, data={
                                  "csrfmiddlewaretoken": self.csrf(login.text),
                                  "login": self.place["manager"], "password": PLAN["password"]},
                              ) as response:
            if response.status_code != 302:
                response.failure(_reason(response))

    @task(3)
    def my_day(self) -> None:
        self.get("/werkplek/", "workspace: my day")

    @task(3)
    def candidates(self) -> None:
        self.get("/werkplek/kandidaten/", "workspace: candidates")

    @task(3)
    def candidate(self) -> None:
        pk = random.choice(self.place["candidate_ids"])  # noqa: S311
        self.get(f"/werkplek/kandidaten/{pk}/", "workspace: candidate")

    @task(2)
    def employers(self) -> None:
        self.get("/werkplek/werkgevers/", "workspace: employers")

    @task(1)
    def meetups(self) -> None:
        self.get("/werkplek/bijeenkomsten/", "workspace: meetups")

    @task(1)
    def contact_moment(self) -> None:
        pk = random.choice(self.place["candidate_ids"])  # noqa: S311
        page = self.get(f"/werkplek/kandidaten/{pk}/", "workspace: candidate")
        with self.client.post(
                f"/werkplek/kandidaten/{pk}/contactmoment/", name="workspace: contact moment",
                allow_redirects=False, catch_response=True, data={
                    "csrfmiddlewaretoken": self.csrf(page.text), "kind": "call",
                    "occurred_at": PLAN["moment_at"], "summary": "Gebeld over de bijeenkomst"},
                ) as response:
            if response.status_code not in (200, 302):
                response.failure(_reason(response))
