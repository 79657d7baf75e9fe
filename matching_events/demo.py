"""Fictitious meetups, opportunities, pledges and placements for the demo (through the
services, idempotent). Runs after `relations.demo.load_demo_relations`."""

from datetime import timedelta

from django.utils import timezone

from core.demo import DemoPlace
from relations.models import Candidate, Employer

from .models import Meetup
from .services import accounts, meetups, opportunities, placements, registrations

OPPORTUNITIES = [
    ("work_experience", "Meewerken in de bakkerij", "I", 24),
    ("job", "Monteur in opleiding", "F", 32),
    ("work_experience", "Gastheer of gastvrouw in de zorg", "Q", 20),
    ("job", "Vakkenvuller", "G", 16),
    ("trial", "Bijrijder", "H", 24),
    ("open_to_meet", "Kennismaken in het hotel", "I", None),
]


def link_demo_portal_users(employer_user, candidate_user) -> None:
    """The demo's werkgever acts for the first employer, the kandidaat is the first candidate."""
    employer = Employer.objects.order_by("pk").first()
    candidate = Candidate.objects.order_by("pk").first()
    if employer and candidate:
        accounts.link_existing_users(employer_user=employer_user, employer=employer,
                                     candidate_user=candidate_user, candidate=candidate)


def load_demo_meetups(manager, coordinator) -> None:
    """Two upcoming meetups (one published with registrations, one still choosing its date),
    one held meetup, six opportunities, a sector pledge and two placements."""
    if Meetup.objects.exists():
        return
    employers = list(Employer.objects.order_by("pk"))
    candidates = list(Candidate.objects.order_by("pk"))
    if len(employers) < 6 or len(candidates) < 6:
        return
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    today = timezone.localdate()
    for employer, (kind, title, sector, hours) in zip(employers, OPPORTUNITIES, strict=False):
        opportunities.create_opportunity(
            employer.pk, by=manager, kind=kind, title=title, sector=sector,
            hours_per_week=hours, places=2, publish_on_portal=True,
            description="Een plek om het vak te leren, met een vaste begeleider.",
            start_date=today + timedelta(days=30))
    opportunities.post_opportunity(
        employers[6].pk, kind="job", title="Schoonmaker (ochtend)", sector="N",
        hours_per_week=20, description="Via de website aangemeld.")
    pledge = opportunities.record_pledge(
        employers[4].pk, by=coordinator, description="Drie mensen uit de opleidingsgroep "
        "logistiek", sector="H", places=3, made_on=today - timedelta(days=40))

    published = meetups.create_meetup(
        by=manager, title="Prettig gesprek: zorg en gastvrijheid", theme="Zorg en horeca",
        starts_at=(now + timedelta(days=9)).replace(hour=14), duration_minutes=90,
        location_name="Stadhuis, zaal 2", address="Markt 1", capacity=8,
        accessibility_notes="Drempelvrije ingang, lift en invalidentoilet aanwezig.")
    meetups.invite_employers(published.pk, [e.pk for e in employers[:4]], by=manager)
    for participation in published.employers.all()[:3]:
        meetups.set_employer_status(participation.pk, "confirmed", by=manager)
    meetups.publish_meetup(published.pk, by=manager)
    for candidate in candidates[:5]:
        # Each candidate's own relationship manager invites them (the service checks it).
        inviter = candidate.owner or coordinator
        registration = registrations.invite_candidate(published.pk, candidate.pk, by=inviter,
                                                      needs=["transport"] if candidate.pk % 2
                                                      else [])
        if candidate.pk % 3:
            registrations.confirm_on_behalf(registration.pk, by=inviter)

    planning = meetups.create_meetup(
        by=manager, title="Prettig gesprek: techniek en logistiek", theme="Techniek",
        address="Industrieweg 4", capacity=10, starts_at=None)
    meetups.invite_employers(planning.pk, [e.pk for e in employers[1:5]], by=manager)
    meetups.propose_dates(planning.pk, [(now + timedelta(days=d)).replace(hour=10)
                                        for d in (16, 18, 23)], by=manager)

    placements.record_placement(
        candidate_id=candidates[0].pk, employer_id=employers[2].pk, by=manager,
        kind="work_experience", start_date=today - timedelta(days=20), hours_per_week=20,
        contract_months=6, status="started")
    placements.record_placement(
        candidate_id=candidates[4].pk, employer_id=employers[4].pk, by=manager, kind="job",
        start_date=today - timedelta(days=5), hours_per_week=32, pledge=pledge,
        status="started")


DEMO_STEP = 30


def load_demo(place: DemoPlace) -> None:
    """The demo part of meetups and the portal (`core.demo`), in each demo municipality."""
    if place.national:
        return
    load_demo_meetups(place.users["relatiemanager"], place.users["coordinator"])
    link_demo_portal_users(place.users["werkgever"], place.users["kandidaat"])
