"""Portal accounts: the relationship manager gives an employer's contact person a login, a
candidate makes one from "my registrations"; each sees only their own employer or candidate."""

import re

import pytest
from django_tenants.utils import tenant_context

from accounts.models import User
from accounts.roles import Role, user_roles
from matching_events import links
from matching_events.models import CandidateAccount, EmployerAccount, MeetupEmployer, Opportunity
from matching_events.services import accounts, meetups, opportunities
from relations.services import add_contact_person
from tests.conftest import client_for, make_user
from tests.matching_events.conftest import confirmed_registration, new_meetup
from tests.relations import conftest as people
from tests.relations.conftest import logged_in, new_candidate, new_employer

# fixtures of the relationship-management tests
alice = people.alice
bob = people.bob
carol = people.carol
charlie = people.charlie

NEW_PASSWORD = "een-lang-en-veilig-wachtwoord"  # noqa: S105
LINK = re.compile(r"https?://[^/\s]+(/account/password/reset/key/[^\s\"<]+/)")


def set_password_from_mail(municipality, mail) -> None:
    """Follow the link in the mail and choose a password, as the person would."""
    path = LINK.search(mail.body).group(1)
    assert path in mail.alternatives[0][0]
    client = client_for(municipality)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].endswith("-set-password/")
    response = client.post(response["Location"],
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:3000]


def log_in(municipality, email: str):
    client = client_for(municipality)
    response = client.post("/account/login/", {"login": email, "password": NEW_PASSWORD})
    assert response.status_code == 302, "login failed"
    return client


@pytest.fixture
def company(zoetermeer, alice):
    """Bakkerij with contact Petra, an open opportunity, and a competitor with one too."""
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
        petra = add_contact_person(employer, name="Petra de Bakker",
                                   email="petra@bakkerij.example")
        own = opportunities.create_opportunity(employer.pk, by=alice, title="Hulp in de bakkerij")
        other = new_employer(alice, name="Concurrent", kvk_number="87654321")
        theirs = opportunities.create_opportunity(other.pk, by=alice, title="Geheime kans")
    return {"employer": employer, "petra": petra, "own": own, "other": other,
            "theirs": theirs}


@pytest.fixture
def employer_user(zoetermeer, alice, company, mailoutbox, django_capture_on_commit_callbacks):
    """Petra's account, invited by alice through the workspace, password chosen."""
    workspace = logged_in(zoetermeer, alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = workspace.post(
            f"/werkplek/werkgevers/{company['employer'].pk}/portaalaccount/",
            {"contact": company["petra"].pk}, follow=True)
    assert response.status_code == 200
    assert "Petra de Bakker" in response.content.decode()
    assert [m.to for m in mailoutbox] == [["petra@bakkerij.example"]]
    with tenant_context(zoetermeer):
        user = User.objects.get(email="petra@bakkerij.example")
        assert not user.has_usable_password() and user_roles(user) == {Role.EMPLOYER}
        assert EmployerAccount.objects.get(user=user).employer == company["employer"]
    set_password_from_mail(zoetermeer, mailoutbox[0])
    mailoutbox.clear()
    return log_in(zoetermeer, "petra@bakkerij.example")


def test_the_workspace_offers_the_invitation_per_contact_with_an_e_mail_address(
        zoetermeer, alice, company):
    page = logged_in(zoetermeer, alice).get(f"/werkplek/werkgevers/{company['employer'].pk}/")
    body = page.content.decode()
    assert f"/werkplek/werkgevers/{company['employer'].pk}/portaalaccount/" in body
    assert f'name="contact" value="{company["petra"].pk}"' in body


def test_an_invited_employer_sets_a_password_and_sees_only_its_own_company(
        zoetermeer, employer_user, company):
    response = employer_user.get("/na-inloggen/")
    assert response.status_code == 302 and response["Location"] == "/mijn-bedrijf/"
    body = employer_user.get("/mijn-bedrijf/").content.decode()
    assert "Hulp in de bakkerij" in body and "Bakkerij De Korenschoof" in body
    assert "Geheime kans" not in body and "Concurrent" not in body


def test_editing_an_opportunity_sends_it_back_to_review(
        zoetermeer, alice, employer_user, company, mailoutbox,
        django_capture_on_commit_callbacks):
    path = f"/mijn-bedrijf/kansen/{company['own'].pk}/bewerken/"
    form = employer_user.get(path)
    assert form.status_code == 200 and 'value="Hulp in de bakkerij"' in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = employer_user.post(path, {"kind": "work_experience", "title": "Bakker",
                                             "hours_per_week": "20"})
    assert response.status_code == 302 and response["Location"] == "/mijn-bedrijf/"
    with tenant_context(zoetermeer):
        changed = Opportunity.objects.get(pk=company["own"].pk)
        assert (changed.status, changed.title, changed.kind) == (
            Opportunity.Status.AWAITING_REVIEW, "Bakker", "work_experience")
    assert [m.to for m in mailoutbox] == [["alice@zoetermeer.example"]]


def test_posting_a_new_opportunity_waits_for_review(zoetermeer, employer_user, company,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = employer_user.post("/mijn-bedrijf/kansen/nieuw/",
                                      {"kind": "trial", "title": "Proefdag"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        posted = company["employer"].opportunities.get(title="Proefdag")
        assert posted.status == Opportunity.Status.AWAITING_REVIEW and posted.posted_via_portal
    invalid = employer_user.post("/mijn-bedrijf/kansen/nieuw/", {"kind": "trial", "title": ""})
    assert invalid.status_code == 200 and "werktop-error-summary" in invalid.content.decode()


def test_another_employers_opportunity_or_meetup_is_a_404(zoetermeer, alice, employer_user,
                                                          company):
    theirs = company["theirs"].pk
    assert employer_user.get(f"/mijn-bedrijf/kansen/{theirs}/bewerken/").status_code == 404
    assert employer_user.post(f"/mijn-bedrijf/kansen/{theirs}/bewerken/",
                              {"kind": "job", "title": "Gekaapt"}).status_code == 404
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice)
        other = meetups.invite_employers(meetup.pk, [company["other"].pk], by=alice)[0]
        assert Opportunity.objects.get(pk=theirs).title == "Geheime kans"
    assert employer_user.post(f"/mijn-bedrijf/bijeenkomsten/{other.pk}/antwoord/",
                              {f"p{other.pk}-coming": "yes"}).status_code == 404


def test_the_employer_answers_a_meetup_invitation_until_it_is_over(zoetermeer, alice,
                                                                   employer_user, company):
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice, title="Prettig gesprek <b>bakkers</b>")
        participation = meetups.invite_employers(meetup.pk, [company["employer"].pk],
                                                 by=alice)[0]
    body = employer_user.get("/mijn-bedrijf/").content.decode()
    assert "Prettig gesprek &lt;b&gt;bakkers&lt;/b&gt;" in body
    assert f'name="p{participation.pk}-coming"' in body
    path = f"/mijn-bedrijf/bijeenkomsten/{participation.pk}/antwoord/"
    assert employer_user.post(path, {f"p{participation.pk}-coming": "yes"}).status_code == 302
    with tenant_context(zoetermeer):
        participation.refresh_from_db()
        assert participation.status == MeetupEmployer.Status.CONFIRMED
        meetups.cancel_meetup(meetup.pk, by=alice)
    employer_user.post(path, {f"p{participation.pk}-coming": "no"})
    with tenant_context(zoetermeer):
        participation.refresh_from_db()
        assert participation.status == MeetupEmployer.Status.CONFIRMED  # over: unchanged
    assert f'name="p{participation.pk}-coming"' not in employer_user.get(
        "/mijn-bedrijf/").content.decode()


def test_an_invitation_is_refused_without_e_mail_or_when_the_address_has_an_account(
        zoetermeer, alice, company, django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer):
        no_mail = add_contact_person(company["employer"], name="Zonder Mail")
        with pytest.raises(Exception, match="no e-mail|geen e-mailadres"):
            accounts.invite_employer_user(company["employer"].pk, no_mail.pk, by=alice)
        with django_capture_on_commit_callbacks(execute=True):
            accounts.invite_employer_user(company["employer"].pk, company["petra"].pk, by=alice)
        with pytest.raises(Exception, match="already an account|al een account"):
            accounts.invite_employer_user(company["employer"].pk, company["petra"].pk, by=alice)
        other_contact = add_contact_person(company["other"], name="X", email="x@example.org")
    workspace = logged_in(zoetermeer, alice)
    # a contact of another employer: not through this employer's page
    assert workspace.post(f"/werkplek/werkgevers/{company['employer'].pk}/portaalaccount/",
                          {"contact": other_contact.pk}).status_code == 404


def test_only_workspace_users_invite(zoetermeer, employer_user, company):
    response = employer_user.post(
        f"/werkplek/werkgevers/{company['employer'].pk}/portaalaccount/",
        {"contact": company["petra"].pk})
    assert response.status_code == 403


def test_a_portal_user_without_a_link_gets_an_explanation(zoetermeer):
    make_user(zoetermeer, Role.EMPLOYER, "los@example.org")
    client = logged_in(zoetermeer, type("U", (), {"email": "los@example.org"}))
    response = client.get("/mijn-bedrijf/")
    body = response.content.decode().lower()
    # (Dutch once the new texts are in the .po file)
    assert response.status_code == 200 and ("relatiemanager" in body
                                            or "relationship manager" in body)
    assert client.get("/mijn-bijeenkomsten/").status_code == 403


def test_a_candidate_makes_an_account_from_my_registrations(
        zoetermeer, alice, mailoutbox, django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer):
        candidate = new_candidate(alice)
        meetup = new_meetup(alice, days_ahead=3)
        registration = confirmed_registration(meetup, candidate, alice)
        mine = links.my_registrations_path(candidate)
        manage = links.manage_path(registration)
    mailoutbox.clear()
    client = client_for(zoetermeer)
    page = client.get(mine).content.decode()
    action = f"{mine}account/"
    assert f'action="{action}"' in page
    assert client.get(action).status_code == 302  # GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, follow=True)
    assert response.status_code == 200
    assert f'action="{action}"' not in response.content.decode()  # made: no button any more
    with tenant_context(zoetermeer):
        user = User.objects.get(email="samira@example.org")
        assert user_roles(user) == {Role.CANDIDATE} and not user.has_usable_password()
        assert CandidateAccount.objects.get(user=user).candidate == candidate
    assert [m.to for m in mailoutbox] == [["samira@example.org"]]
    set_password_from_mail(zoetermeer, mailoutbox[0])
    again = client.post(action, follow=True).content.decode()  # a second time: explained
    assert "already have an account" in again or "al een account" in again
    with tenant_context(zoetermeer):
        assert CandidateAccount.objects.count() == 1
    portal = log_in(zoetermeer, "samira@example.org")
    assert portal.get("/na-inloggen/")["Location"] == "/mijn-bijeenkomsten/"
    body = portal.get("/mijn-bijeenkomsten/").content.decode()
    # The signed link carries a timestamp: compare the part before it.
    assert "Prettig gesprek in de zorg" in body and manage.split(":")[0] in body
    assert portal.get("/mijn-bedrijf/").status_code == 403


def test_a_forged_my_registrations_link_makes_no_account(zoetermeer, alice):
    response = client_for(zoetermeer).post("/mijn-aanmeldingen/vals/account/")
    assert response.status_code == 400
    with tenant_context(zoetermeer):
        assert not CandidateAccount.objects.exists()


def test_accounts_stay_in_their_municipality(zoetermeer, hilversum, charlie, employer_user,
                                             company):
    hilversum_client = client_for(hilversum)
    response = hilversum_client.post("/account/login/", {"login": "petra@bakkerij.example",
                                                         "password": NEW_PASSWORD})
    assert response.status_code == 200  # unknown there: the login form again
    assert hilversum_client.get("/mijn-bedrijf/").status_code == 302  # to the login page
    with tenant_context(hilversum):
        employer = new_employer(charlie, kvk_number="12121212")
        user = make_user(hilversum, Role.EMPLOYER, "werkgever@hilversum.example")
        EmployerAccount.objects.create(user=user, employer=employer)
    other = logged_in(hilversum, user)
    for pk in (company["own"].pk, company["theirs"].pk):
        assert other.get(f"/mijn-bedrijf/kansen/{pk}/bewerken/").status_code == 404
    # Petra's session cookie means nothing on Hilversum's host
    hilversum_client.cookies = employer_user.cookies
    assert hilversum_client.get("/mijn-bedrijf/").status_code == 302


def test_the_set_password_link_works_once(zoetermeer, alice, company, mailoutbox,
                                          django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        accounts.invite_employer_user(company["employer"].pk, company["petra"].pk, by=alice)
    set_password_from_mail(zoetermeer, mailoutbox[0])
    path = LINK.search(mailoutbox[0].body).group(1)
    response = client_for(zoetermeer).get(path)
    assert response.status_code == 200 and 'name="password1"' not in response.content.decode()
