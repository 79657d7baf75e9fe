"""Fuzzing every public form (reachable without a staff login) through its real view: the
portal's meetup registration, the employer sign-up, the pages behind e-mail links (confirm,
cancel, surveys, an employer's answer, "my registrations", making an account), an employer's
own portal pages, the national site's sign-up, allauth's login and password reset pages and
the language switch.

For every example: the answer is never a 5xx, and the database holds the complete record set
or nothing (row counts of every model the view writes, before and after). Each example runs
in its own savepoint, rolled back afterwards, so examples do not see each other's rows.

`HYPOTHESIS_PROFILE=long` runs ten times as many examples (tests/security/conftest.py)."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from accounts.models import User
from accounts.roles import Role
from billing.models import SignUp, StripeEvent
from cms.forms import MeetupRegistrationForm
from core.antispam import HONEYPOT_FIELD
from matching_events import links
from matching_events.models import (
    CandidateAccount,
    EmployerAccount,
    Meetup,
    MeetupEmployer,
    Opportunity,
    Registration,
    SurveyResponse,
)
from matching_events.services import meetups
from relations.models import Candidate, ContactPerson, Employer, LadderStep
from tests.billing.conftest import fake_stripe  # noqa: F401  (fixture)
from tests.billing.stripe_fakes import sign
from tests.conftest import PASSWORD, client_for, make_user
from tests.matching_events.conftest import confirmed_registration, new_meetup
from tests.relations.conftest import alice, logged_in, new_candidate, new_employer  # noqa: F401
from tests.security.conftest import fuzz_examples

# Fuzzing (many generated requests per test): left out by make test-fast.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# --- strategies -----------------------------------------------------------------------------

# Text that breaks things: NUL and other control characters, odd Unicode, injections, very
# long strings, e-mail addresses just over the database's 254 characters.
NASTY_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["", " ", "\x00", "a\x00b", "\r\n", "\t", "\u202eevil", "\ufeff", "ＧＭ",
                     "<script>alert(1)</script>", "' OR 1=1 --", "%s%n", "{{ 7*7 }}", "-1",
                     "0", "1e309", "NaN", "9" * 25, "ZZZZ", "on", "true", "null", "[]"]),
    st.integers(1, 400).map(lambda n: "a" * n + "@example.org"),
    st.integers(1, 6000).map(lambda n: "x" * n),
)
# A posted value: one string, or a field sent several times (a list).
VALUES = st.one_of(NASTY_TEXT, st.lists(NASTY_TEXT, min_size=2, max_size=4))


def raw_posts(fields: list[str]) -> st.SearchStrategy[dict]:
    """Anything: known and unknown field names, any values, fields missing."""
    names = st.one_of(st.sampled_from([*fields, HONEYPOT_FIELD]), st.text(max_size=20))
    return st.dictionaries(names, VALUES, max_size=len(fields) + 3)


def mutated(valid: dict) -> st.SearchStrategy[dict]:
    """A valid post with some fields replaced, some dropped and some extra ones: gets past
    the first checks, into the service."""
    names = sorted(valid)

    def build(replaced: dict, dropped: list[str], extra: dict) -> dict:
        data = {**valid, **replaced, **extra}
        return {name: value for name, value in data.items() if name not in dropped}

    return st.builds(build, st.dictionaries(st.sampled_from(names), VALUES, max_size=3),
                     st.lists(st.sampled_from(names), max_size=2),
                     st.dictionaries(st.text(min_size=1, max_size=10), VALUES, max_size=2))


def posts(valid: dict) -> st.SearchStrategy[dict]:
    return st.one_of(mutated(valid), raw_posts(sorted(valid)))


def fuzz(base: int):
    """The settings of every fuzz test: `base` examples in the default profile."""
    return settings(max_examples=fuzz_examples(base))


# --- helpers --------------------------------------------------------------------------------

@contextmanager
def example_savepoint() -> Iterator[None]:
    """One example's writes, rolled back at its end."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts(municipality, models: list[type[Model]]) -> dict[str, int]:
    context = (schema_context("public") if municipality.schema_name == "public"
               else tenant_context(municipality))
    with context:
        return {model.__name__: model.objects.count() for model in models}


def changes(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: after[name] - before[name] for name in before if after[name] != before[name]}


def not_a_server_error(response) -> None:
    assert response.status_code < 500, response.content[:2000]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """The fuzzer posts far faster than the public forms' rate limits allow."""
    settings.RATELIMIT_ENABLE = False


# --- the meetup registration on the portal --------------------------------------------------

PERSON = {"first_name": "Samira", "last_name": "Bouzid", "email": "samira@example.org",
          "phone": "06 12345678", "interests": "zorg", "needs": ["childcare"],
          "needs_note": "", HONEYPOT_FIELD: ""}
REGISTRATION_MODELS = [Candidate, Registration, LadderStep]


@pytest.fixture
def open_and_full(zoetermeer, alice):  # noqa: F811
    with tenant_context(zoetermeer):
        open_meetup = new_meetup(alice, capacity=5)
        full = new_meetup(alice, capacity=1, title="Vol")
        confirmed_registration(full, new_candidate(alice, email="kees@example.org"), alice)
        new_candidate(alice, email="bestaat@example.org")  # an existing candidate
    return open_meetup, full


def orphans(municipality) -> int:
    """Candidates without any registration (only bestaat@ in the fixture)."""
    with tenant_context(municipality):
        return Candidate.objects.filter(registrations__isnull=True).count()


def assert_registration_all_or_nothing(municipality, before, response) -> None:
    not_a_server_error(response)
    delta = changes(before, counts(municipality, REGISTRATION_MODELS))
    assert orphans(municipality) <= 1, "a candidate without a registration was stored"
    if response.status_code != 302:
        assert delta == {}, delta
    else:  # registered (a new or a known candidate) or already registered: nothing new
        assert delta in ({}, {"Registration": 1}, {"Registration": 1, "Candidate": 1}), delta


@fuzz(30)
@given(data=st.one_of(posts(PERSON), from_form(
                          MeetupRegistrationForm, homepage=st.just("")).map(lambda f: f.data),
                      posts({**PERSON, "email": "bestaat@example.org"})),
       full=st.booleans())
def test_the_meetup_registration_stores_a_registration_with_its_candidate_or_nothing(
        zoetermeer, open_and_full, data, full):
    meetup = open_and_full[full]
    client = client_for(zoetermeer)
    with example_savepoint():
        before = counts(zoetermeer, REGISTRATION_MODELS)
        response = client.post(f"/bijeenkomsten/{meetup.pk}/", data)
        assert_registration_all_or_nothing(zoetermeer, before, response)


def test_a_failing_registration_leaves_no_candidate_behind(zoetermeer, open_and_full,
                                                           monkeypatch):
    """The candidate is saved before the registration: when the registration cannot be saved
    (the same person posting twice at once), the service's transaction takes the new
    candidate back too. (The fuzzer cannot make that race, so it is forced here.)"""
    from django.db import IntegrityError

    def refuse(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(Registration, "save", refuse)
    before = counts(zoetermeer, REGISTRATION_MODELS)
    response = client_for(zoetermeer).post(f"/bijeenkomsten/{open_and_full[0].pk}/",
                                           {**PERSON, "email": "nieuw@example.org"})
    assert response.status_code == 302  # "check your e-mail", as for a second registration
    assert changes(before, counts(zoetermeer, REGISTRATION_MODELS)) == {}


# --- the employer sign-up ("Doe mee als ondernemer") ----------------------------------------

EMPLOYER = {"company_name": "Kwekerij Groen", "kvk_number": "1234 5678", "sector": "A",
            "postcode": "2711ab", "contact_name": "Fatima el Amrani",
            "email": "fatima@kwekerij.example", "phone": "079 123 45 67", "kind": "job",
            "title": "Medewerker kas", "description": "Planten verzorgen.",
            "hours_per_week": "24", "publish_on_portal": "on", HONEYPOT_FIELD: ""}
SIGN_UP_MODELS = [Employer, ContactPerson, Opportunity]


@pytest.fixture
def known_employer(zoetermeer, alice):  # noqa: F811
    """KvK 27312152 exists: a sign-up adds to it, never changes it."""
    with tenant_context(zoetermeer):
        return new_employer(alice, contacts=[{"name": "Piet", "email": "piet@bakker.example"}])


@fuzz(30)
@given(data=st.one_of(posts(EMPLOYER), posts({**EMPLOYER, "kvk_number": "27312152"})))
def test_the_employer_sign_up_stores_employer_contact_and_offer_or_nothing(
        zoetermeer, known_employer, data):
    client = client_for(zoetermeer)
    with example_savepoint():
        before = counts(zoetermeer, SIGN_UP_MODELS)
        response = client.post("/doe-mee-als-ondernemer/", data)
        not_a_server_error(response)
        delta = changes(before, counts(zoetermeer, SIGN_UP_MODELS))
        if response.status_code != 302:
            assert delta == {}, delta
        else:
            assert delta.get("Opportunity") == 1 and delta.get("Employer", 0) in (0, 1), delta
            with tenant_context(zoetermeer):  # no employer without contact or offer
                assert not Employer.objects.filter(contacts__isnull=True).exists()
                assert not Employer.objects.exclude(kvk_number="27312152").filter(
                    opportunities__isnull=True).exists()


# --- the pages behind e-mail links ----------------------------------------------------------

LINK_MODELS = [Registration, SurveyResponse, MeetupEmployer, CandidateAccount, User,
               Candidate]
LINK_PAGES = ["/aanmelding/bevestigen/{}/", "/aanmelding/{}/", "/aanmelding/{}/afmelden/",
              "/aanmelding/{}/enquete/", "/mijn-aanmeldingen/{}/",
              "/mijn-aanmeldingen/{}/account/", "/werkgever/uitnodiging/{}/",
              "/werkgever/uitnodiging/{}/enquete/"]


@pytest.fixture
def linked(zoetermeer, alice):  # noqa: F811
    """Valid tokens: a pending registration, an attended one of a held meetup (survey), an
    invited employer of an upcoming meetup and one of the held meetup."""
    with tenant_context(zoetermeer):
        upcoming = new_meetup(alice, capacity=3)
        held = new_meetup(alice, capacity=3, title="Gehouden")
        candidate = new_candidate(alice, email="jan@example.org", first_name="Jan")
        pending = Registration.objects.create(meetup=upcoming, candidate=candidate)
        attended = confirmed_registration(held, new_candidate(alice, email="eva@example.org"),
                                          alice)
        bakery = new_employer(alice)
        [coming] = meetups.invite_employers(upcoming.pk, [bakery.pk], by=alice)
        [came] = meetups.invite_employers(held.pk, [bakery.pk], by=alice)
        Registration.objects.filter(pk=attended.pk).update(attended=True)
        Meetup.objects.filter(pk=held.pk).update(
            status=Meetup.Status.HELD, starts_at=timezone.now() - timedelta(days=1))
        return {"confirm": links.confirm_token(pending), "manage": links.manage_token(pending),
                "survey": links.manage_token(attended), "mine": links.my_registrations_token(
                    candidate), "employer": links.employer_token(coming),
                "employer_survey": links.employer_token(came)}


@fuzz(40)
@given(page=st.sampled_from(LINK_PAGES), method=st.sampled_from(["get", "post"]),
       token=st.one_of(NASTY_TEXT.filter(lambda t: t.strip() and "/" not in t),
                       st.sampled_from(["confirm", "manage", "mine", "employer"])),
       tamper=st.sampled_from(["", "x", ":", "=="]), data=raw_posts(["coming", "approach"]))
def test_a_forged_or_mangled_link_changes_nothing(zoetermeer, linked, page, method, token,
                                                  tamper, data):
    token = linked.get(token, token) + tamper  # a real token with something appended, or junk
    client = client_for(zoetermeer)
    with example_savepoint():
        before = counts(zoetermeer, LINK_MODELS)
        response = getattr(client, method)(page.format(quote(token, safe="")), data)
        not_a_server_error(response)
        if tamper or token not in linked.values():
            assert changes(before, counts(zoetermeer, LINK_MODELS)) == {}
            assert response.status_code in (302, 400, 404, 405), response.status_code


SURVEY = {"approach": "4", "relationship_manager": "5", "self_efficacy": "3",
          "comment": "Fijn gesprek", HONEYPOT_FIELD: ""}


@fuzz(40)
@given(which=st.sampled_from(["survey", "employer_survey", "employer"]),
       data=st.one_of(posts(SURVEY), posts({"coming": "yes", HONEYPOT_FIELD: ""})))
def test_the_forms_behind_links_store_one_complete_answer_or_nothing(zoetermeer, linked,
                                                                      which, data):
    page = {"survey": "/aanmelding/{}/enquete/", "employer": "/werkgever/uitnodiging/{}/",
            "employer_survey": "/werkgever/uitnodiging/{}/enquete/"}[which]
    client = client_for(zoetermeer)
    with example_savepoint():
        with tenant_context(zoetermeer):
            statuses = list(MeetupEmployer.objects.order_by("pk").values_list("status",
                                                                              flat=True))
        before = counts(zoetermeer, LINK_MODELS)
        response = client.post(page.format(linked[which]), data)
        not_a_server_error(response)
        delta = changes(before, counts(zoetermeer, LINK_MODELS))
        shown = {template.name.rsplit("/", 1)[-1] for template in response.templates}
        answered = bool(shown & {"thanks.html", "employer_answered.html"})
        with tenant_context(zoetermeer):
            now = list(MeetupEmployer.objects.order_by("pk").values_list("status", flat=True))
            if which == "employer":
                assert delta == {} and (now == statuses) != answered
            else:
                assert delta == ({"SurveyResponse": 1} if answered else {}), delta
            for answer in SurveyResponse.objects.values("approach", "relationship_manager",
                                                        "self_efficacy"):
                assert set(answer.values()) <= {None, 1, 2, 3, 4, 5}, answer


# --- an employer's own portal pages (a portal login, not staff) -----------------------------

OFFER = {"kind": "job", "title": "Medewerker kas", "description": "Planten verzorgen.",
         "hours_per_week": "24", "publish_on_portal": "on"}


@pytest.fixture
def employer_portal(zoetermeer, alice):  # noqa: F811
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
        user = make_user(zoetermeer, Role.EMPLOYER, "petra@bakkerij.example")
        EmployerAccount.objects.create(user=user, employer=employer)
        meetup = new_meetup(alice)
        [participation] = meetups.invite_employers(meetup.pk, [employer.pk], by=alice)
        offer = Opportunity.objects.create(employer=employer, title="Bestaande kans")
    return logged_in(zoetermeer, user), offer, participation


@fuzz(30)
@given(page=st.sampled_from(["new", "edit", "answer"]),
       data=st.one_of(posts(OFFER), posts({"p{}-coming": "yes"})))
def test_an_employers_portal_forms_store_a_complete_offer_or_nothing(
        zoetermeer, employer_portal, page, data):
    client, offer, participation = employer_portal
    data = {name.replace("p{}", f"p{participation.pk}"): value for name, value in data.items()}
    path = {"new": "/mijn-bedrijf/kansen/nieuw/",
            "edit": f"/mijn-bedrijf/kansen/{offer.pk}/bewerken/",
            "answer": f"/mijn-bedrijf/bijeenkomsten/{participation.pk}/antwoord/"}[page]
    with example_savepoint():
        before = counts(zoetermeer, [Opportunity, MeetupEmployer])
        response = client.post(path, data)
        not_a_server_error(response)
        delta = changes(before, counts(zoetermeer, [Opportunity, MeetupEmployer]))
        assert delta == ({"Opportunity": 1} if page == "new" and response.status_code == 302
                         else {}), delta
        with tenant_context(zoetermeer):
            for row in Opportunity.objects.values("title", "kind", "hours_per_week"):
                assert row["title"] and row["kind"] in Opportunity.Kind.values, row


# --- the national site's sign-up ------------------------------------------------------------

MUNICIPALITY = {"cbs_code": "GM0363", "plan": "medium", "coordinator_name": "Anna de Vries",
                "coordinator_email": "anna@amsterdam.nl", "pay_by_invoice": "on",
                HONEYPOT_FIELD: ""}


@fuzz(30)
@given(data=posts(MUNICIPALITY))
def test_the_municipality_sign_up_stores_a_complete_sign_up_or_nothing(
        national, fake_stripe, data):  # noqa: F811
    client = client_for(national)
    with example_savepoint():
        before = counts(national, [SignUp])
        response = client.post("/aanmelden/", data)
        not_a_server_error(response)
        delta = changes(before, counts(national, [SignUp]))
        if response.status_code == 302:
            assert delta == {"SignUp": 1}, delta
            with schema_context("public"):
                record = SignUp.objects.get()
                assert record.coordinator_name and "@" in record.coordinator_email
                assert record.plan and len(record.cbs_code) == 6
        else:
            assert delta == {}, delta


def test_a_coordinator_address_too_long_to_store_gets_a_dutch_message(national,
                                                                      fake_stripe):  # noqa: F811
    """Regression: the form accepted 320 characters, the table 254: a 500 instead of a
    message."""
    address = "a" * 250 + "@amsterdam.nl"
    response = client_for(national).post("/aanmelden/", {**MUNICIPALITY,
                                                         "coordinator_email": address})
    assert response.status_code == 400
    assert "254" in response.content.decode()  # Django's Dutch "at most 254 characters"
    assert counts(national, [SignUp]) == {"SignUp": 0}


# Stripe's webhook: signed with the right secret (only Stripe can), so the fuzzer gets past the
# signature to the event's fields; and unsigned or badly signed junk.
JSON = st.recursive(st.none() | st.booleans() | st.integers() | NASTY_TEXT,
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(NASTY_TEXT, inner, max_size=3), max_leaves=8)
EVENTS = st.fixed_dictionaries(
    {"id": st.one_of(NASTY_TEXT, st.just("evt_1")), "type": st.one_of(
        NASTY_TEXT, st.just("invoice.paid")),
     "created": st.one_of(st.integers(-(2**64), 2**64), NASTY_TEXT, st.just(1_700_000_000)),
     "data": st.one_of(JSON, st.fixed_dictionaries({"object": st.one_of(
         JSON, st.fixed_dictionaries({"id": JSON}))}))})


@fuzz(40)
@given(body=st.one_of(EVENTS, JSON), signed=st.booleans(),
       header=st.one_of(NASTY_TEXT, st.just("t=1,v1=abc"), st.just("v1=abc")))
def test_the_stripe_webhook_stores_one_event_or_nothing(national, body, signed, header):
    payload = json.dumps(body).encode()
    signature = sign(payload, django_settings.STRIPE_WEBHOOK_SECRET) if signed else header
    client = client_for(national)
    with example_savepoint():
        before = counts(national, [StripeEvent])
        response = client.post("/stripe/webhook/", payload, content_type="application/json",
                               HTTP_STRIPE_SIGNATURE=signature)
        not_a_server_error(response)
        stored = changes(before, counts(national, [StripeEvent]))
        assert stored == ({"StripeEvent": 1} if response.status_code == 200 else {}), stored


def test_a_signed_body_that_is_no_event_is_a_400(national):
    """Regression: a (signed) body that is JSON but no object, an event whose time lies past
    the year 9999, or whose id does not fit its column, was a 500 instead of "not a Stripe
    event"."""
    for event in (None, [], "evt", {"id": "evt_1", "type": "invoice.paid", "created": 10**15,
                   "data": {"object": {"id": "in_1"}}},
                  {"id": "evt_" + "x" * 300, "type": "invoice.paid", "created": 1_700_000_000,
                   "data": {"object": {"id": "in_1"}}}):
        payload = json.dumps(event).encode()
        response = client_for(national).post(
            "/stripe/webhook/", payload, content_type="application/json",
            HTTP_STRIPE_SIGNATURE=sign(payload, django_settings.STRIPE_WEBHOOK_SECRET))
        assert response.status_code == 400 and response.json() == {
            "error": "not a Stripe event"}
    assert counts(national, [StripeEvent]) == {"StripeEvent": 0}


# --- logging in, password reset, language switch (allauth and Django) -----------------------

ACCOUNT_PAGES = {
    "/account/login/": {"login": "alice@zoetermeer.example", "password": PASSWORD,
                        "remember": "on"},
    "/account/password/reset/": {"email": "alice@zoetermeer.example"},
    "/account/password/reset/key/1-set-password/": {"password1": "x", "password2": "x"},
    "/account/signup/": {"email": "nieuw@example.org", "password1": "x", "password2": "x"},
    "/taal/": {"language": "en", "next": "/"},
}


@fuzz(40)
@given(page=st.sampled_from(sorted(ACCOUNT_PAGES)), data=st.data(),
       national_site=st.booleans())
def test_login_password_reset_and_language_never_fail_and_create_no_user(
        zoetermeer, national, alice, page, data, national_site):  # noqa: F811
    municipality = national if national_site else zoetermeer
    post = data.draw(posts(ACCOUNT_PAGES[page]))
    client = client_for(municipality)
    with example_savepoint():
        before = counts(municipality, [User])
        response = client.post(page, post)
        not_a_server_error(response)
        assert changes(before, counts(municipality, [User])) == {}


@fuzz(20)
@given(key=NASTY_TEXT.filter(lambda t: t and "/" not in t))
def test_a_mangled_password_reset_link_is_refused(zoetermeer, key):
    client = client_for(zoetermeer)
    response = client.get(f"/account/password/reset/key/1-{quote(key, safe='')}/")
    not_a_server_error(response)
