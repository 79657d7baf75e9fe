"""Signed links in e-mails: confirm a registration, manage it, answer as an employer, fill in a
survey. No account needed, so the link is the key:

- signed with SECRET_KEY and a salt that names the municipality's schema and the purpose, so a
  link of one municipality (or for another purpose) never works elsewhere;
- it carries the row's `link_key`, which the services rotate when a link must stop working;
- confirmation links expire after CONFIRM_MAX_AGE.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils.translation import gettext as _

from core.schemas import current_schema

CONFIRM_MAX_AGE = timedelta(days=7)
MANAGE_MAX_AGE = timedelta(days=180)


class LinkError(Exception):
    """A link that is forged, expired or no longer valid. `message` is for the visitor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LinkData:
    pk: int
    key: str


def _salt(purpose: str) -> str:
    return f"werktop.matching_events:{current_schema()}:{purpose}"


def make_token(purpose: str, pk: int, key: object) -> str:
    return signing.dumps({"id": pk, "k": str(key)}, salt=_salt(purpose), compress=True)


def read_token(purpose: str, token: str, max_age: timedelta = MANAGE_MAX_AGE) -> LinkData:
    try:
        data = signing.loads(token, salt=_salt(purpose), max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkError(_("This link has expired. Register again or contact your "
                          "relationship manager.")) from error
    except signing.BadSignature as error:
        raise LinkError(_("This link is not valid. Check that you copied the whole link "
                          "from the e-mail.")) from error
    try:
        return LinkData(pk=int(data["id"]), key=str(data["k"]))
    except (KeyError, TypeError, ValueError) as error:
        raise LinkError(_("This link is not valid. Check that you copied the whole link "
                          "from the e-mail.")) from error


def no_longer_valid() -> LinkError:
    return LinkError(_("This link is no longer valid: a newer e-mail replaced it."))


# Purposes
CONFIRM = "confirm"  # registration: confirm the e-mail address (double opt-in)
MANAGE = "manage"  # registration: see, cancel, fill in the survey
EMPLOYER = "employer"  # meetup participation: answer dates, confirm or decline, survey
MINE = "mine"  # candidate: "my registrations"
