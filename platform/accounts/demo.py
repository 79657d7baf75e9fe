"""Accounts' demo part: a fictitious user per role, national and in each municipality
(`core.demo`). E-mail addresses use the reserved .example domain."""

from core.demo import DEMO_PASSWORD, DemoPlace

from .models import User
from .roles import Role
from .services import create_user_with_role

DEMO_STEP = 10

MUNICIPAL_USERS = [
    (Role.COORDINATOR, "coordinator", "Anouk", "de Vries"),
    (Role.RELATIONSHIP_MANAGER, "relatiemanager", "Mohamed", "El Amrani"),
    (Role.EDITOR, "redacteur", "Sanne", "Jansen"),
    (Role.EMPLOYER, "werkgever", "Peter", "Bakker"),
    (Role.CANDIDATE, "kandidaat", "Fatma", "Yılmaz"),
]
NATIONAL_USERS = [
    (Role.MINISTRY_ANALYST, "analist@ministerie.example", "Jeroen", "Smit"),
    (Role.OPERATOR, "beheer@werktop.example", "Lotte", "Visser"),
]


def load_demo(place: DemoPlace) -> None:
    if place.national:
        for role, email, first, last in NATIONAL_USERS:
            _user(email, role, first, last)
        return
    for role, prefix, first, last in MUNICIPAL_USERS:
        email = f"{prefix}@{place.municipality.slug}.example"
        place.users[prefix] = _user(email, role, first, last)


def _user(email: str, role: Role, first: str, last: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = create_user_with_role(email, DEMO_PASSWORD, role, first_name=first,
                                     last_name=last)
    return user
