"""The columns the import knows, how their names are guessed from a header row, and how one
spreadsheet cell becomes a value (Dutch and English spellings, Excel numbers and dates)."""

import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

from ..models import Candidate, Employer
from ..reference import LADDER_CHOICES, SBI_CHOICES
from ..validators import normalise_kvk, normalise_postcode, validate_client_reference

YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x", "wel"}
NO = {"nee", "n", "no", "false", "onwaar", "0", "geen", "niet"}
# What people call the SBI sections in their own lists (normalised, see normalise_header).
SECTOR_ALIASES = {
    "landbouw": "A", "tuinbouw": "A", "visserij": "A", "industrie": "C", "productie": "C",
    "energie": "D", "afval": "E", "bouw": "F", "handel": "G", "detailhandel": "G",
    "groothandel": "G", "retail": "G", "winkel": "G", "vervoer": "H", "transport": "H",
    "logistiek": "H", "horeca": "I", "ict": "J", "it": "J", "financieel": "K",
    "financiele": "K", "vastgoed": "L", "advies": "M", "zakelijkedienstverlening": "N",
    "schoonmaak": "N", "overheid": "O", "onderwijs": "P", "zorg": "Q", "welzijn": "Q",
    "zorgenwelzijn": "Q", "cultuur": "R", "sport": "R", "recreatie": "R",
}
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, kvk, postcode, url, int, bool, date, choice, sector, ladder, owner,
    # client_reference
    synonyms: tuple[str, ...] = ()
    label_text: Promise | None = None  # defaults to the model field's verbose name
    required: bool = False

    def label(self, model: type[models.Model]) -> str:
        text = str(self.label_text or model._meta.get_field(self.name).verbose_name)
        return text[:1].upper() + text[1:]


OWNER = ("eigenaar", "relatiemanager", "accountmanager", "behandelaar", "consulent",
         "contactpersoongemeente", "owner", "relationshipmanager", "manager")

EMPLOYER_COLUMNS = [
    Column("name", "text", ("naam", "bedrijfsnaam", "werkgever", "organisatie", "bedrijf",
                            "handelsnaam", "naamwerkgever", "name", "company", "companyname",
                            "employer", "organisation", "organization"), required=True),
    Column("kvk_number", "kvk", ("kvk", "kvknummer", "kvknr", "kamervankoophandel",
                                 "kvknumber", "cocnumber", "chamberofcommerce"), required=True),
    Column("sector", "sector", ("sector", "sbi", "sbisectie", "sbicode", "branche",
                                "sectorsbi")),
    Column("size_class", "choice", ("grootte", "omvang", "grootteklasse", "bedrijfsgrootte",
                                    "aantalmedewerkers", "size", "sizeclass", "employees")),
    Column("street_address", "text", ("adres", "straat", "straatenhuisnummer", "bezoekadres",
                                      "straathuisnummer", "address", "street",
                                      "streetaddress", "streetandnumber")),
    Column("postcode", "postcode", ("postcode", "postalcode", "zip", "zipcode")),
    Column("city", "text", ("plaats", "woonplaats", "vestigingsplaats", "stad", "plaatsnaam",
                            "city", "town")),
    Column("website", "url", ("website", "web", "url", "site", "internetadres")),
    Column("status", "choice", ("status", "relatiestatus", "fase")),
    Column("owner", "owner", OWNER,
           gettext_lazy("relationship manager (e-mail address)")),
    Column("first_contact_date", "date", ("eerstecontact", "datumeerstecontact",
                                          "eerstecontactdatum", "firstcontact",
                                          "firstcontactdate")),
    Column("contact_name", "text", ("contactpersoon", "naamcontactpersoon", "contact",
                                    "contactname", "contactperson"),
           gettext_lazy("contact person: name")),
    Column("contact_role", "text", ("functie", "functiecontactpersoon", "rol", "contactrole",
                                    "role", "jobtitle"),
           gettext_lazy("contact person: role")),
    Column("contact_email", "text", ("email", "emailadres", "mail", "emailcontactpersoon",
                                     "contactemail"),
           gettext_lazy("contact person: e-mail address")),
    Column("contact_phone", "text", ("telefoon", "telefoonnummer", "tel", "mobiel", "phone",
                                     "telephone", "contactphone", "telefooncontactpersoon"),
           gettext_lazy("contact person: phone number")),
]

CANDIDATE_COLUMNS = [
    Column("first_name", "text", ("voornaam", "roepnaam", "voornamen", "firstname",
                                  "givenname"), required=True),
    Column("name_prefix", "text", ("tussenvoegsel", "tussenvoegsels", "voorvoegsel",
                                   "prefix", "nameprefix"),
           gettext_lazy("name prefix (tussenvoegsel)")),
    Column("last_name", "text", ("achternaam", "familienaam", "geslachtsnaam", "lastname",
                                 "surname", "familyname"), required=True),
    Column("email", "text", ("email", "emailadres", "mail")),
    Column("phone", "text", ("telefoon", "telefoonnummer", "tel", "mobiel", "mobielnummer",
                             "phone", "telephone")),
    Column("year_of_birth", "int", ("geboortejaar", "yearofbirth", "birthyear")),
    Column("postcode", "postcode", ("postcode", "postalcode", "zip", "zipcode")),
    Column("languages", "text", ("talen", "taal", "gesprokentalen", "languages", "language")),
    Column("driving_licence", "bool", ("rijbewijs", "rijbewijsb", "drivinglicence",
                                       "drivinglicense")),
    Column("hours_per_week", "int", ("uren", "urenperweek", "beschikbareuren", "hoursperweek",
                                     "hours")),
    Column("travel_radius_km", "int", ("reisafstand", "reisafstandkm", "afstand",
                                       "travelradius", "travelradiuskm", "traveldistance")),
    Column("talents", "text", ("talenten", "kwaliteiten", "sterkepunten", "talents",
                               "strengths")),
    Column("interests", "text", ("interesses", "interesse", "interests", "hobbys")),
    Column("status", "choice", ("status", "fase")),
    Column("programme_start", "date", ("startdatum", "instroomdatum", "datuminstroom",
                                       "inhetprogrammasinds", "programmestart", "startdate")),
    Column("ladder_rung", "ladder", ("participatieladder", "trede", "ladder", "laddertrede",
                                     "ladderrung", "rung")),
    Column("client_reference", "client_reference", (
        "klantnummer", "clientnummer", "clientnr", "klantnr", "registratienummer",
        "dossiernummer", "clientreference", "clientnumber", "reference")),
    Column("owner", "owner", OWNER, gettext_lazy("relationship manager (e-mail address)")),
]

COLUMNS = {"employers": EMPLOYER_COLUMNS, "candidates": CANDIDATE_COLUMNS}
MODELS = {"employers": Employer, "candidates": Candidate}


def columns_for(kind: str) -> list[Column]:
    return COLUMNS[kind]


def labels_for(kind: str) -> dict[str, str]:
    """{column name: label in the active language}."""
    return {column.name: column.label(MODELS[kind]) for column in COLUMNS[kind]}


def normalise_header(value: str) -> str:
    """'KvK-nummer ' -> 'kvknummer', 'Cliëntnummer' -> 'clientnummer'."""
    text = unicodedata.normalize("NFKD", str(value or ""))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _names_of(kind: str, column: Column) -> set[str]:
    names = {normalise_header(s) for s in column.synonyms} | {normalise_header(column.name)}
    for language in ("nl", "en"):
        with translation.override(language):
            names.add(normalise_header(column.label(MODELS[kind])))
    names.add(normalise_header(column.label(MODELS[kind])))
    return names


def guess_mapping(kind: str, headers: list[str]) -> dict[str, int]:
    """{column name: index of the header that names it}; each header is used at most once."""
    normalised = [normalise_header(h) for h in headers]
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for column in COLUMNS[kind]:
        names = _names_of(kind, column)
        for index, header in enumerate(normalised):
            if header and index not in used and header in names:
                mapping[column.name] = index
                used.add(index)
                break
    return mapping


# --- cells to values -----------------------------------------------------------------------

def cell_text(value: Any) -> str:
    """The text of a cell. Whole numbers lose Excel's '.0'; an apostrophe that an export put
    before = + - @ (against formula injection) is taken off again."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def _whole_number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValidationError(_("Enter a whole number, for example 24."), code="number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value).replace(" ", "")
    if re.fullmatch(r"\d{1,9}", text):
        return int(text)
    raise ValidationError(_("Enter a whole number, for example 24."), code="number")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = normalise_header(cell_text(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError(_("Enter yes or no (in Dutch: ja or nee)."), code="yes_no")


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if re.fullmatch(r"\d{1,7}", text):  # an Excel serial day number (a cell not formatted)
        return from_excel(int(text)).date()
    day = re.split(r"[ T]", text, maxsplit=1)[0]  # "2024-11-23 00:00:00" from a spreadsheet
    for pattern in DATE_FORMATS:
        try:
            return date(*time.strptime(day, pattern)[:3])
        except ValueError:
            continue  # another format, or 31-02-2024 and the like
    raise ValidationError(_("Enter a date as dd-mm-yyyy, for example 23-11-2024."),
                          code="date")


class Parser:
    """Turns the cells of one kind of import into values. Built once per run: it holds the
    choice lookups (codes and labels in Dutch and English) and the workspace users."""

    def __init__(self, kind: str, owners: dict[str, int]) -> None:
        self.kind = kind
        self.model = MODELS[kind]
        self.owners = owners
        self.choices: dict[str, dict[str, str]] = {}
        for column in COLUMNS[kind]:
            if column.kind == "choice":
                self.choices[column.name] = self._lookup(
                    self.model._meta.get_field(column.name).choices)
        self.sectors = {**SECTOR_ALIASES, **self._lookup(SBI_CHOICES)}
        self.rungs = {normalise_header(label): number for number, label in LADDER_CHOICES}

    @staticmethod
    def _lookup(choices) -> dict[str, Any]:
        lookup: dict[str, Any] = {}
        for code, label in choices:
            lookup[normalise_header(code)] = code
            for language in ("en", "nl"):
                with translation.override(language):
                    lookup.setdefault(normalise_header(str(label)), code)
        return lookup

    def parse(self, column: Column, value: Any) -> Any:
        """The value for `column`, None when the cell is empty; ValidationError if unusable."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        method = getattr(self, f"_{column.kind}")
        return method(column, value)

    def _text(self, column: Column, value: Any) -> str:
        return cell_text(value)

    def _kvk(self, column: Column, value: Any) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return cell_text(value).zfill(8)  # Excel drops leading zeros
        return normalise_kvk(cell_text(value))

    def _client_reference(self, column: Column, value: Any) -> str:
        """A number cell has lost its leading zeros: 12345672 may be BSN 012345672. Checked
        as it was typed too, by the model's own validator."""
        text = cell_text(value)
        if isinstance(value, int | float) and not isinstance(value, bool) and len(text) < 9:
            validate_client_reference(text.zfill(9))
        return text

    def _postcode(self, column: Column, value: Any) -> str:
        return normalise_postcode(cell_text(value))

    def _url(self, column: Column, value: Any) -> str:
        text = cell_text(value)
        if "://" not in text and "." in text and " " not in text:
            text = f"https://{text}"
        return text

    def _int(self, column: Column, value: Any) -> int:
        return _whole_number(value)

    def _bool(self, column: Column, value: Any) -> bool:
        return _boolean(value)

    def _date(self, column: Column, value: Any) -> date:
        return _date(value)

    def _choice(self, column: Column, value: Any) -> str:
        text = cell_text(value)
        code = self.choices[column.name].get(normalise_header(text))
        if code is None:
            options = ", ".join(str(label) for _code, label in
                                self.model._meta.get_field(column.name).choices)
            raise ValidationError(
                _("“%(value)s” is not one of the options: %(options)s.")
                % {"value": text[:50], "options": options}, code="choice")
        return code

    def _sector(self, column: Column, value: Any) -> str:
        text = cell_text(value)
        code = self.sectors.get(normalise_header(text))
        prefix = re.match(r"^([A-Za-z])(?:\s*[-:.)]\s*|\s+)\S", text)
        if code is None and prefix and prefix[1].upper() in dict(SBI_CHOICES):
            code = prefix[1].upper()  # "A - Landbouw, bosbouw en visserij"
        if code is None:
            raise ValidationError(
                _("Enter the letter of an SBI section (A to U) or its name, for example "
                  "“G” or “Handel”."), code="sector")
        return code

    def _ladder(self, column: Column, value: Any) -> int:
        text = cell_text(value)
        number = self.rungs.get(normalise_header(text))
        if number is None and re.fullmatch(r"\d{1,2}", text):
            number = int(text)
        if number not in dict(LADDER_CHOICES):
            raise ValidationError(
                _("Enter a rung of the participation ladder: a number from 1 to 6."),
                code="ladder")
        return number

    def _owner(self, column: Column, value: Any) -> int:
        email = cell_text(value).lower()
        user_id = self.owners.get(email)
        if user_id is None:
            raise ValidationError(
                _("Unknown owner: %(email)s. Use the e-mail address of a colleague who works "
                  "in the workspace.") % {"email": email[:100]}, code="owner")
        return user_id
