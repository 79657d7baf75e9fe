"""Fictitious employers and candidates for the demo (through the services, idempotent)."""

import random
from datetime import timedelta

from django.utils import timezone

from core.demo import DemoPlace

from . import services
from .models import ContactMoment, Employer

EMPLOYERS = [
    ("Bakkerij De Korenschoof", "I", "small", "Dorpsstraat 12"),
    ("Installatiebedrijf Van Dijk", "F", "small", "Industrieweg 4"),
    ("Zorgcentrum De Linde", "Q", "medium", "Lindelaan 30"),
    ("Supermarkt Het Plein", "G", "medium", "Marktplein 1"),
    ("Transport Verbeek", "H", "small", "Havenweg 88"),
    ("Hotel De Zwaan", "I", "small", "Stationsweg 3"),
    ("Schoonmaakbedrijf Glans", "N", "large", "Kanaalweg 15"),
    ("Drukkerij Letterwerk", "C", "micro", "Ambachtsweg 7"),
    ("Kinderopvang Zonnestraal", "Q", "small", "Schoolstraat 21"),
    ("Tuincentrum Groen", "G", "small", "Tuinderslaan 5"),
]
CANDIDATES = [
    ("Samira", "Bouzid", "Goed met mensen, geduldig, werkt graag in een team."),
    ("Kees", "Mulder", "Handig met gereedschap; heeft een eigen fietsenwerkplaats gehad."),
    ("Olga", "Nowak", "Nauwkeurig, ervaring met voorraadbeheer, leert snel."),
    ("Dewi", "Pattipeilohy", "Kookt voor grote groepen in de buurtkamer."),
    ("Hamza", "Yildiz", "Rijbewijs C, kent de regio goed, punctueel."),
    ("Ingrid", "Vermeulen", "Administratief sterk, werkt graag met cijfers."),
    ("Tom", "Hendriks", "Sportief, buiten werken, groen onderhoud."),
    ("Amina", "Diallo", "Spreekt vier talen, gastvrij, wil in de horeca."),
]


def load_demo_relations(manager, coordinator, slug: str) -> None:
    """Ten employers and eight candidates with timelines, actions and ZRM assessments."""
    if Employer.objects.exists():
        return
    rng = random.Random(slug)  # noqa: S311 - demo data, not security
    now = timezone.now()
    today = timezone.localdate()
    for index, (name, sector, size, street) in enumerate(EMPLOYERS):
        employer = services.create_employer(
            by=manager, name=name, kvk_number=f"{rng.randint(10_000_000, 99_999_999)}",
            sector=sector, size_class=size, street_address=street, postcode="2711 AB",
            owner=manager if index % 3 else coordinator,
            contacts=[{"name": f"{rng.choice(['Ellen', 'Rob', 'Yvonne', 'Ahmed'])} "
                               f"{rng.choice(['de Boer', 'Peters', 'Kok', 'Smits'])}",
                       "role": "eigenaar", "email": "", "phone": ""}])
        if index < 7:
            services.log_contact_moment(
                employer, kind=ContactMoment.Kind.VISIT, by=manager,
                occurred_at=now - timedelta(days=rng.randint(3, 200)),
                summary="Kennismaking op locatie; open voor een prettig gesprek.")
        services.plan_next_action(employer, description="Terugbellen over werkervaringsplaats",
                                  due_on=today + timedelta(days=index - 3), owner=manager,
                                  by=manager)
    for index, (first, last, talents) in enumerate(CANDIDATES):
        candidate = services.create_candidate(
            by=manager, first_name=first, last_name=last,
            email=f"{first.lower()}.{last.lower()}@kandidaat.example", talents=talents,
            year_of_birth=rng.randint(1965, 2004), postcode="2712 CD", hours_per_week=24,
            days_available=["ma", "di", "do"], status="active", ladder_rung=rng.randint(2, 4),
            programme_start=today - timedelta(days=rng.randint(30, 400)),
            owner=manager if index % 4 else coordinator)
        services.log_contact_moment(candidate, kind=ContactMoment.Kind.CALL, by=manager,
                                    occurred_at=now - timedelta(days=rng.randint(1, 60)),
                                    summary="Intakegesprek: talenten en wensen besproken.")
        for months_ago in (6, 0):
            services.record_zrm_assessment(
                candidate, assessed_on=today - timedelta(days=30 * months_ago), by=manager,
                scores={domain: rng.randint(2 if months_ago else 3, 5)
                        for domain in range(1, 14)})
        if index % 2:
            services.plan_next_action(candidate, description="Uitnodigen voor prettig gesprek",
                                      due_on=today + timedelta(days=index - 4), owner=manager,
                                      by=manager)


DEMO_STEP = 20


def load_demo(place: DemoPlace) -> None:
    """The demo part of relations (`core.demo`), in each demo municipality."""
    if not place.national:
        load_demo_relations(place.users["relatiemanager"], place.users["coordinator"],
                            place.municipality.slug)
