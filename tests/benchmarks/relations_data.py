"""Generated data for the relationship-management benchmark: Dutch-looking employers and
candidates, bulk-inserted (benchmark fixture data, not application writes) with the search text
the services would compute."""

import random
import unicodedata
from datetime import timedelta

EMPLOYERS = 5_000
CANDIDATES = 20_000
SHARED_FRACTION = 0.10


FIRST_NAMES = (
    "Jan Janneke Jasper Anouk Daan Sanne Mohamed Fatima Sem Lotte Pieter Kees Samira Youssef "
    "Eva Noah Emma Lucas Julia Thijs Femke Bram Ilse Hamza Dewi Olga Ingrid Tom Amina Marieke "
    "Gerrit Henk Wim Ria Anja Joost Ruben Nina Iris Sven Mila Ayoub Zeynep Kevin Priya Tessa "
    "Rik Lieke Koen Floor Stijn Naomi Yara Bilal Esra Marco Linda Patrick Sandra Johan"
).split()
LAST_NAMES = [
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
    "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "van der Heijden",
    "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas",
    "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Bouzid",
    "Yildiz", "Nowak", "Pattipeilohy", "Diallo", "El Amrani", "Kaya", "Öztürk", "Nguyen",
    "Tahiri", "Boukhari",
]
# (kind of business, SBI section)
BUSINESSES = [
    ("Bakkerij", "C"), ("Drukkerij", "C"), ("Metaalbewerking", "C"), ("Bouwbedrijf", "F"),
    ("Installatiebedrijf", "F"), ("Schildersbedrijf", "F"), ("Supermarkt", "G"),
    ("Autobedrijf", "G"), ("Tuincentrum", "G"), ("Bouwmarkt", "G"), ("Transport", "H"),
    ("Logistiek", "H"), ("Koeriersdienst", "H"), ("Hotel", "I"), ("Restaurant", "I"),
    ("Eetcafé", "I"), ("ICT-bedrijf", "J"), ("Administratiekantoor", "M"),
    ("Schoonmaakbedrijf", "N"), ("Hoveniersbedrijf", "N"), ("Beveiliging", "N"),
    ("Zorgcentrum", "Q"), ("Thuiszorg", "Q"), ("Kinderopvang", "Q"), ("Fysiotherapie", "Q"),
    ("Sportschool", "R"), ("Kapsalon", "S"), ("Basisschool", "P"), ("Kwekerij", "A"),
]
NAME_WORDS = ("De Linde", "Het Plein", "Groen", "Zonnestraal", "De Korenschoof", "Letterwerk",
              "Glans", "De Zwaan", "Centrum", "Noord", "De Eik", "Randstad", "Het Anker",
              "De Molen", "Rokkeveen", "Seghwaert", "Oosterheem", "Palenstein", "Dorp")
TOWNS = ["Zoetermeer"] * 8 + ["Den Haag", "Leidschendam", "Pijnacker", "Benthuizen"]
TALENTS = [
    "Goed met mensen, geduldig, werkt graag in een team.",
    "Handig met gereedschap; heeft een eigen fietsenwerkplaats gehad.",
    "Nauwkeurig, ervaring met voorraadbeheer, leert snel.",
    "Kookt voor grote groepen in de buurtkamer.",
    "Rijbewijs C, kent de regio goed, punctueel.",
    "Administratief sterk, werkt graag met cijfers.",
    "Sportief, buiten werken, groen onderhoud.",
    "Spreekt vier talen, gastvrij, wil in de horeca.",
    "",
]
LANGUAGES = ["Nederlands", "Nederlands, Engels", "Nederlands, Arabisch", "Nederlands, Turks",
             "Engels, Pools", "Nederlands, Tigrinya", "Arabisch, Engels"]
DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]


def ascii_part(text: str) -> str:
    """'van der Öztürk' -> 'vanderozturk', for e-mail addresses."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c.isascii() and c.isalnum()).lower()


def postcode(rng: random.Random) -> str:
    letters = "ABCDEGHJKLMNPRTVWXZ"
    return f"{rng.randint(2711, 2729)} {rng.choice(letters)}{rng.choice(letters)}"


def generate(municipality, coordinator, managers) -> None:
    """Bulk-created fixture data (not through the services: this is about reading it)."""
    from django.db import connection, transaction
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from relations.models import Candidate, ContactPerson, Employer
    from relations.reference import LADDER_CHOICES, SBI_CHOICES
    from relations.services import candidate_search_text, employer_search_text

    rng = random.Random(637)
    today = timezone.localdate()
    owners = [*managers, coordinator]
    owner_weights = [10] * len(managers) + [1]
    sectors = [code for code, _label in SBI_CHOICES]
    rungs = [number for number, _label in LADDER_CHOICES]

    def owner():  # every relation has one: a relation without one breaks the lists (report)
        return rng.choices(owners, owner_weights)[0]

    def person_name() -> tuple[str, str]:
        return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)

    with tenant_context(municipality), transaction.atomic():
        employers, contacts = [], []
        for index in range(EMPLOYERS):
            business, sector = rng.choice(BUSINESSES)
            word = rng.choice(NAME_WORDS) if rng.random() < 0.5 else rng.choice(LAST_NAMES)
            status = rng.choices(["prospect", "in_contact", "active_partner", "dormant"],
                                 [35, 30, 25, 10])[0]
            employer = Employer(
                name=f"{business} {word[:1].upper()}{word[1:]}"
                     + (" B.V." if rng.random() < 0.3 else ""),
                kvk_number=f"{30_000_000 + index:08d}",
                sector=sector if rng.random() < 0.9 else rng.choice(sectors),
                size_class=rng.choice(["micro", "small", "medium", "large"]),
                street_address=f"{rng.choice(NAME_WORDS)}straat {rng.randint(1, 200)}",
                postcode=postcode(rng), city=rng.choice(TOWNS), owner=owner(), status=status,
                first_contact_date=None if status == "prospect"
                else today - timedelta(days=rng.randint(1, 700)))
            contact = " ".join(person_name())
            employer.search_text = employer_search_text(employer, [contact])
            employers.append(employer)
            contacts.append(contact)
        Employer.objects.bulk_create(employers, batch_size=1000)
        ContactPerson.objects.bulk_create(
            [ContactPerson(employer=employer, name=name, role="eigenaar")
             for employer, name in zip(employers, contacts, strict=True)], batch_size=2000)

        candidates = []
        for index in range(CANDIDATES):
            first, last = person_name()
            status = rng.choices(["intake", "active", "placed", "paused", "closed"],
                                 [15, 45, 15, 10, 15])[0]
            days = sorted(rng.sample(range(5), rng.randint(0, 5))
                          + ([5] if rng.random() < 0.1 else []))
            candidate = Candidate(
                first_name=first, last_name=last,
                email=f"{ascii_part(first)}.{ascii_part(last)}.{index}@kandidaat.example",
                phone=f"06-{rng.randint(10_000_000, 99_999_999)}",
                year_of_birth=rng.randint(1962, 2006), postcode=postcode(rng),
                languages=rng.choice(LANGUAGES), driving_licence=rng.random() < 0.4,
                hours_per_week=None if rng.random() < 0.1 else rng.choice(range(8, 41, 4)),
                days_available=[DAYS[d] for d in days],
                travel_radius_km=rng.choice([None, 5, 10, 15, 25, 40]),
                talents=rng.choice(TALENTS),
                preferred_sectors=rng.sample(sectors, rng.randint(0, 3)),
                owner=owner(), status=status,
                programme_start=today - timedelta(days=rng.randint(10, 2000)),
                ladder_rung=None if rng.random() < 0.1 else rng.choice(rungs),
                client_reference=f"K{index:06d}",
                closed_at=timezone.now() - timedelta(days=rng.randint(1, 300))
                if status == "closed" else None)
            candidate.search_text = candidate_search_text(candidate)
            candidates.append(candidate)
        Candidate.objects.bulk_create(candidates, batch_size=1000)

        through = Candidate.shared_with.through
        shares = []
        for candidate in rng.sample(candidates, int(CANDIDATES * SHARED_FRACTION)):
            colleague = rng.choice([m for m in managers if m.pk != candidate.owner_id])
            shares.append(through(candidate_id=candidate.pk, user_id=colleague.pk))
        through.objects.bulk_create(shares, batch_size=2000)

        with connection.cursor() as cursor:  # lists sorted by "last changed" need a spread
            for table in ("relations_employer", "relations_candidate"):
                cursor.execute(f"UPDATE {table} SET updated_at = updated_at - "
                               "random() * interval '700 days'")
