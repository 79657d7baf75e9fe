"""Meetups, opportunities, matching and placements of one municipality (its own schema).

Written only through the service modules of `matching_events`.
"""

from .accounts import CandidateAccount, EmployerAccount  # noqa: F401
from .meetups import (  # noqa: F401
    DateAnswer,
    Meetup,
    MeetupEmployer,
    PracticalNeed,
    ProposedDate,
    Registration,
)
from .messages import OutgoingMessage  # noqa: F401
from .opportunities import Opportunity, Placement, SectorPledge  # noqa: F401
from .outcomes import Conversation, MatchLead, SurveyResponse, TableSeat  # noqa: F401
