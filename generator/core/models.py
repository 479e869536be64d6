"""Typed records: one pydantic model per collection, shared by the build, the tests and the JSON Schemas."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise
from typing import Annotated, Any, ClassVar, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
# The longest id: a record's file names (`<id>.yaml`, `.<id>.json.tmp`) must fit every file system.
ID_MAX_LENGTH = 100
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class FieldError(ValueError):
    """A check of a whole record that one field fails: reported at that field's line, not the record's."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field  # a name, or a dotted path into lists: "amounts.0.project"

    @property
    def path(self) -> tuple[str | int, ...]:
        return tuple(int(part) if part.isdigit() else part for part in self.field.split("."))


def id_problem(text: str) -> str | None:
    """Say what is wrong with `text` as a record id (the same rule for `atlas new`, loading and building), or None."""
    if not ID_RE.fullmatch(text):
        return "is not a valid id: use lowercase letters, digits and single hyphens"
    if len(text) > ID_MAX_LENGTH:
        return f"is {len(text)} characters long; an id has at most {ID_MAX_LENGTH}, so shorten it"
    return None


@dataclass(frozen=True)
class Ref:
    """Marks a field whose value is the id of a record in `collection`."""

    collection: str


class AsWritten:
    """Marks a field read as the text written, whatever YAML would make of it (`NO` is Norway, `2025-11` a month)."""


@dataclass(frozen=True)
class Citations:
    """Marks text that may cite sources inline, as `[@source-id]` or `[@one; @two]`.

    With `every_sentence`, each sentence must cite what supports it.
    """

    every_sentence: bool = False


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
MineralId = Annotated[Id, Ref("minerals")]
PolicyId = Annotated[Id, Ref("policies")]
SourceId = Annotated[Id, Ref("sources")]
FigureSetId = Annotated[Id, Ref("observations")]
ProjectId = Annotated[Id, Ref("projects")]
# The longest one-line text (a title, a name, a scope): each is a heading, a link or a table cell on
# many pages, and Python-Markdown's inline parsing slows down far faster than such a text grows.
TEXT_MAX_LENGTH = 1000


def _check_one_line_length(text: str) -> str:
    if len(text) > TEXT_MAX_LENGTH:
        raise ValueError(
            f"is {len(text):,} characters long; a title, name or other one-line text has at most "
            f"{TEXT_MAX_LENGTH:,}: shorten it, and put the detail in the summary or a note"
        )
    return text


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_check_one_line_length)]
# The longest summary or note: twenty times the longest in the atlas, and still quick to render.
PROSE_MAX_LENGTH = 50_000


def _check_prose_length(text: str) -> str:
    if len(text) > PROSE_MAX_LENGTH:
        raise ValueError(
            f"is {len(text):,} characters long; a summary or note has at most {PROSE_MAX_LENGTH:,}: "
            "keep the record to what readers need, and cite the source for the rest"
        )
    return text


CITATION_HELP = "Cite the source of each sentence inline, as [@source-id] or [@one; @two]."
# Statements of fact: every sentence cites its source inline.
Statement = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_check_prose_length),
    Citations(every_sentence=True),
    Field(description=CITATION_HELP),
]
# Text that may cite sources inline, where a `source` field does not already say it all.
Note = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_check_prose_length), Citations()
]
Percent = Annotated[float, Field(ge=0, le=100)]

# Codes that stand for a group of countries rather than one (ISO 3166 reserves "EU").
GROUP_CODES = {"EU": "European Union"}
# Names readers know, where ISO 3166's short name is a formal or inverted one.
COMMON_NAMES = {
    "CD": "Democratic Republic of the Congo",
    "KP": "North Korea",
    "KR": "South Korea",
    "RU": "Russia",
    "TW": "Taiwan",
    "LA": "Laos",
    "SY": "Syria",
    "IR": "Iran",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "MD": "Moldova",
    "VN": "Vietnam",
}


def _check_country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code (e.g. 'CN', 'US', 'NO')")
    return code


def _check_jurisdiction(code: str) -> str:
    return code if code in GROUP_CODES else _check_country(code)


def _check_http_url(url: str) -> str:
    # The same characters the build refuses to link to: whitespace, and what could close an HTML attribute.
    if not re.fullmatch(r"https?://[^\s/?#<>\"]+\.[^\s<>\"]*", url):
        raise ValueError(f"'{url}' is not an http(s) URL; only addresses starting with https:// or http:// are allowed")
    hidden = invisible_character(url)
    if hidden is not None:
        shown = url.encode("unicode_escape").decode("ascii")
        raise ValueError(
            f"'{shown}' holds the invisible character {hidden}, which can make an address read as another; "
            "remove it, or write it percent-encoded"
        )
    return url


# Unicode's controls, format characters (bidi overrides, zero-width), private-use, unassigned and line separators.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Zl", "Zp"})


def invisible_character(text: str) -> str | None:
    """Name the first character of `text` that shows nothing or reorders what follows (U+202E ...), or None."""
    for character in text:
        if unicodedata.category(character) in INVISIBLE_CATEGORIES:
            name = unicodedata.name(character, "unnamed")
            return f"U+{ord(character):04X} ({name})"
    return None


def country_name(code: str) -> str:
    """Return the English short name of an ISO 3166 code or group code."""
    if code in GROUP_CODES:
        return GROUP_CODES[code]
    if code in COMMON_NAMES:
        return COMMON_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


Country = Annotated[
    str,
    AsWritten(),
    StringConstraints(pattern=r"^[A-Z]{2}$"),
    AfterValidator(_check_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 code"}),
]
Jurisdiction = Annotated[
    str,
    AsWritten(),
    StringConstraints(pattern=r"^[A-Z]{2}$"),
    AfterValidator(_check_jurisdiction),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 code, or EU"}),
]


def _check_destination(code: str) -> str:
    if code != ALL_DESTINATIONS and pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"'{code}' is neither an ISO 3166-1 alpha-2 country code (e.g. 'CN', 'US') nor 'all'")
    return code


DESTINATION_PATTERN = r"^([A-Z]{2}|all)$"
HS_CODE_PATTERN = r"^[0-9]{4}([0-9]{2}){0,3}$"
CONTROL_CODE_PATTERN = r"^[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*$"
# What a value that does not match a pattern should look like, as editors are told.
PATTERN_HELP = {
    ID_PATTERN: "is not a valid id: use lowercase letters, digits and single hyphens",
    DESTINATION_PATTERN: "is not a destination: write an ISO 3166-1 alpha-2 country code in capitals ('US'), or 'all'",
    HS_CODE_PATTERN: 'is not an HS code: write its 4 to 10 digits, without dots or spaces, in quotes ("2504101000")',
    CONTROL_CODE_PATTERN: "is not a control-list code: a digit, a letter A to E and three digits, then any "
    'sub-items after dots ("1C902", "2B902.a")',
}
ALL_DESTINATIONS = "all"
# Where a measure's exports go: a country code, or "all" for every destination.
Destination = Annotated[
    str,
    AsWritten(),
    StringConstraints(pattern=DESTINATION_PATTERN),
    AfterValidator(_check_destination),
    WithJsonSchema({"type": "string", "pattern": "^([A-Z]{2}|all)$", "description": "ISO 3166-1 alpha-2 code, or all"}),
]
# A customs code of the Harmonized System, as national tariffs extend it: 4 to 10 digits, in pairs after the first 4.
HsCode = Annotated[
    str,
    AsWritten(),
    StringConstraints(pattern=HS_CODE_PATTERN),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]{4}([0-9]{2}){0,3}$", "description": "HS code, 4-10 digits"}),
]
# A control-list code of the Wassenaar form: a digit, a letter A-E, three digits, then sub-items ("2B902.a").
ControlCode = Annotated[
    str,
    AsWritten(),
    StringConstraints(pattern=CONTROL_CODE_PATTERN),
    WithJsonSchema(
        {"type": "string", "pattern": "^[0-9][A-E][0-9]{3}(\\.[a-z0-9]+)*$", "description": "control-list code"}
    ),
]
HttpUrl = Annotated[
    str,
    AfterValidator(_check_http_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]


def _check_currency(code: str) -> str:
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"'{code}' is not an ISO 4217 currency code (e.g. 'USD', 'EUR', 'AUD', 'JPY')")
    return code


Currency = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    AfterValidator(_check_currency),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code, e.g. USD, EUR."}),
]


def _parse_day(value: Any) -> Any:
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII):
            raise ValueError(f"'{value}' is not a date; write YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a real date") from None
    return value


Day = Annotated[dt.date, BeforeValidator(_parse_day)]


class PartialDate(str):
    """A date known to the year, the month or the day: '2023', '2023-08' or '2023-08-01'."""

    @property
    def sort_key(self) -> tuple[int, int, int]:
        parts = [int(p) for p in self.split("-")]
        return (parts[0], parts[1] if len(parts) > 1 else 0, parts[2] if len(parts) > 2 else 0)

    @property
    def first_day(self) -> dt.date:
        year, month, day = self.sort_key
        return dt.date(year, month or 1, day or 1)

    @property
    def last_day(self) -> dt.date:
        """The last day the date may mean: a partial date ('2025') vouches for nothing before it."""
        year, month, day = self.sort_key
        if day:
            return dt.date(year, month, day)
        if month:
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, 12, 31)


def _check_partial_date(value: Any) -> PartialDate:
    if isinstance(value, dt.date):
        return PartialDate(value.isoformat())
    text = str(value)
    if not re.fullmatch(PARTIAL_DATE_PATTERN, text, re.ASCII):
        raise ValueError(f"'{text}' is not a date; write YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known")
    year, month, day = PartialDate(text).sort_key
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None
    return PartialDate(text)


Fuzzy = Annotated[
    str,
    AsWritten(),
    AfterValidator(_check_partial_date),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": PARTIAL_DATE_PATTERN},
                {"type": "integer", "minimum": 1000, "maximum": 2999},
            ],
            "description": "YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known",
        }
    ),
]


class Strict(BaseModel):
    """Base for every model: unknown fields are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Cited(Strict):
    """A fact that names the source record it comes from."""

    source: SourceId = Field(description="Id of the source record (data/sources/<id>.yaml) that supports this fact.")
    note: Note | None = None


class Edited(Cited):
    """A figure from a publication that comes in editions, such as USGS Mineral Commodity Summaries."""

    edition: Text | None = Field(
        default=None,
        description="Edition the figure comes from, e.g. 'MCS 2026'; figures of several editions are shown side "
        "by side, the newest marked.",
    )


class Stage(str, Enum):
    mine = "mine"
    primary = "primary"
    refined = "refined"


class Figure(Edited):
    """A measured quantity, always with what it measures."""

    year: int = Field(ge=1900, le=2100)
    stage: Stage = Field(description="mine output, primary (low-purity) production, or refined (high-purity) output")
    scope: Text = Field(description="What exactly is counted, e.g. 'primary low-purity gallium'.")
    value: float | None = Field(default=None, ge=0)
    unit: Text = "t"
    share: Percent | None = Field(default=None, description="Share of world output, in percent.")
    estimated: bool = False


class CountryProduction(Figure):
    country: Country


class WorldProduction(Figure):
    producing_countries: list[Country] = Field(
        default_factory=list, description="Countries named as producers where no per-country figures exist."
    )


class EndUse(Edited):
    use: Text = Field(description="The use, e.g. 'Flame retardants'.")
    share: Percent | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    scope: Text


class Qualifier(str, Enum):
    exact = "exact"
    more_than = "more-than"
    about = "about"


class ImportReliance(Edited):
    country: Jurisdiction
    year: int = Field(ge=1900, le=2100)
    value: Percent
    qualifier: Qualifier = Field(default=Qualifier.exact, description="exact, more-than (e.g. '>50%') or about.")
    estimated: bool = False


class Price(Edited):
    description: Text = Field(description="Grade and market, e.g. 'Regulus grade II, duty-unpaid Rotterdam'.")
    value: float = Field(ge=0)
    value_high: float | None = Field(default=None, ge=0, description="Upper end when the price is a range.")
    unit: Text = Field(description="e.g. 'USD/kg', 'USD/lb', 'USD/t'")
    date: Fuzzy = Field(description="When the price applied (YYYY for a yearly average).")


class ListMembership(Strict):
    policy: PolicyId = Field(description="Id of the list-designation policy, e.g. us-critical-minerals-2022.")
    detail: Text | None = Field(default=None, description="Annex or category, e.g. 'Annex I: strategic raw material'.")


class Verdict(str, Enum):
    confirmed = "confirmed"
    wrong_scope = "wrong-scope"
    outdated = "outdated"
    unverified = "unverified"


class CheckedClaim(Cited):
    """A figure published elsewhere, set beside the checked one."""

    claim: Text = Field(description="The figure as published elsewhere, quoted.")
    claimed_by: SourceId = Field(description="Source record of the publication that made the claim.")
    verdict: Verdict


Verification = Literal["verified", "secondary-only"]


class Record(Strict):
    """Fields every record has."""

    id: Id | None = Field(default=None, description="Optional; when given it must equal the file name.")
    last_verified: Day = Field(description="When a person last checked this record against its sources.")
    review_interval_days: int = Field(default=180, ge=1, le=3650)
    sources: list[SourceId] = Field(default_factory=list, description="Source records behind the record as a whole.")
    verification: Verification = Field(
        default="verified",
        description="verified: seen in an official or company text (or a faithful copy); "
        "secondary-only: seen only in secondary reporting.",
    )
    verification_note: Note | None = Field(default=None, description="What could not be checked, and why.")


class Researched(Record):
    """A record of facts about the world, which hold as of the newest material they were checked against."""

    research_cutoff: Day = Field(
        description="Date of the newest material the facts were checked against: they are known to hold up to "
        "this date, not after it. The site's out-of-date notice counts from this date."
    )


class Mineral(Researched):
    collection: ClassVar[str] = "minerals"  # the folder in data/, the URL prefix, the API and CSV name

    name: Text = Field(description="Common English name, e.g. 'Antimony'.")
    symbol: Annotated[str, StringConstraints(pattern=r"^[A-Z][a-z]?$")] | None = Field(
        default=None,
        description="Chemical symbol, e.g. 'Sb'; leave out for a mineral or group that is not one element.",
    )
    atomic_number: int | None = Field(default=None, ge=1, le=118, description="Atomic number, e.g. 51.")
    aliases: list[Text] = Field(default_factory=list, description="Other names and spellings search should find.")
    summary: Statement
    us_production: Statement | None = Field(default=None, description="Domestic production in the United States.")
    end_uses: list[EndUse] = Field(
        default_factory=list, description="What the mineral is used for, with shares, scope and year."
    )
    production: list[CountryProduction] = Field(default_factory=list)
    world_production: list[WorldProduction] = Field(
        default_factory=list,
        description="World totals by stage and year; name producers where no country figures exist.",
    )
    net_import_reliance: list[ImportReliance] = Field(
        default_factory=list, description="Net import reliance of a country or the EU, in percent."
    )
    prices: list[Price] = Field(default_factory=list, description="Prices with grade, market, unit and date.")
    lists: list[ListMembership] = Field(
        default_factory=list, description="Critical-mineral lists the mineral is on (policy records of the lists)."
    )
    checked_claims: list[CheckedClaim] = Field(default_factory=list)
    figures: list[FigureSetId] = Field(
        default_factory=list,
        description="Imported figure sets (data/observations/<id>.yaml) of the chapters that cover the mineral, "
        "e.g. usgs-mcs-2026-cobalt.",
    )


class Instrument(str, Enum):
    export_licensing = "export-licensing"
    export_prohibition = "export-prohibition"
    end_user_ban = "end-user-ban"
    tariff = "tariff"
    list_designation = "list-designation"
    funding_award = "funding-award"
    loan = "loan"
    law = "law"
    suspension = "suspension"
    export_quota = "export-quota"
    export_tax = "export-tax"  # an export tax or duty
    state_trading = "state-trading"  # exports only through designated state traders
    technology_export_ban = "technology-export-ban"
    technology_export_restriction = "technology-export-restriction"  # a licence is needed to export the technology
    ore_export_ban = "ore-export-ban"  # raw ore may not leave unprocessed; `processing_threshold` says how far
    trade_commitment = "trade-commitment"  # a commitment in a trade agreement or arrangement
    # Support: money, guarantees and promises that build supply. Their status comes from dated `steps`.
    grant = "grant"
    loan_guarantee = "loan-guarantee"
    equity_stake = "equity-stake"  # a government buys shares, warrants or a stake in a company or project
    price_floor = "price-floor"
    offtake_agreement = "offtake-agreement"  # a commitment to buy output
    stockpile = "stockpile"  # a stockpile or reserve, and purchases for it
    tax_credit = "tax-credit"
    strategic_project = "strategic-project"  # a designation, such as an EU strategic project, with its benefits
    framework = "framework"  # a bilateral framework, memorandum or joint statement
    funding_programme = "funding-programme"  # a fund, budget or call for applications, not yet money to anyone
    trade_remedy = "trade-remedy"  # anti-dumping or countervailing duties, and their investigations
    investigation = "investigation"  # an inquiry that may lead to measures, such as a Section 232 investigation


# The instruments that support supply rather than control trade: their statuses are steps (announced,
# conditional, binding, disbursed, cancelled) and their figures are money.
SUPPORT_INSTRUMENTS = frozenset(
    {
        Instrument.funding_award,
        Instrument.loan,
        Instrument.grant,
        Instrument.loan_guarantee,
        Instrument.equity_stake,
        Instrument.price_floor,
        Instrument.offtake_agreement,
        Instrument.stockpile,
        Instrument.tax_credit,
        Instrument.strategic_project,
        Instrument.framework,
        Instrument.funding_programme,
    }
)


class StepKind(str, Enum):
    """A step in the life of a support measure, from announcement to money paid or cancelled."""

    announced = "announced"  # announced: a letter of interest, a selection for negotiation, a plan
    conditional = "conditional"  # a conditional commitment, or an award on conditions not yet met
    binding = "binding"  # signed and binding: a final agreement, a loan's financial close
    disbursed = "disbursed"  # money paid out
    cancelled = "cancelled"  # withdrawn, lapsed or expired unused


class Step(Cited):
    """A dated step of a support measure, with the source that reports it."""

    date: Fuzzy = Field(description="YYYY-MM-DD, or YYYY-MM / YYYY when the day is not known.")
    step: StepKind = Field(description="announced, conditional, binding, disbursed or cancelled.")
    text: Note = Field(description="What happened, in one plain sentence.")
    expected: bool = Field(
        default=False,
        description="The date is a target the source gives ('closing expected in the first half of 2026'), not a "
        "step that happened: it is shown as scheduled until a later step confirms it.",
    )
    clause: str | None = Field(default=None, description="The clause it is a step of; leave out for the whole measure.")


class Scale(str, Enum):
    units = "units"
    thousand = "thousand"
    million = "million"
    billion = "billion"


SCALE_FACTOR = {Scale.units: 1, Scale.thousand: 10**3, Scale.million: 10**6, Scale.billion: 10**9}


class Amount(Cited):
    """A sum of money, in the currency and scale the source gives it: never converted."""

    value: float = Field(gt=0, description="The figure as the source gives it, e.g. 2.26 (with scale billion).")
    currency: Currency = Field(description="The currency the source gives, as an ISO 4217 code: USD, EUR, AUD, JPY.")
    scale: Scale = Field(default=Scale.million, description="units, thousand, million or billion.")
    what: Text = Field(description="What the money is, e.g. 'ATVM loan' or 'preferred equity for about 15%'.")
    up_to: bool = Field(default=False, description="The figure is a ceiling ('up to').")
    date: Fuzzy | None = Field(default=None, description="When the figure was announced or paid.")
    project: ProjectId | None = Field(
        default=None, description="The project the money goes to; it must be one of the measure's `projects`."
    )
    public: bool = Field(default=True, description="false for private money alongside the public money.")
    programme: bool = Field(
        default=False,
        description="The size of a programme, fund or pipeline, not money committed to a recipient: shown, never "
        "added to totals.",
    )
    disputed: bool = Field(
        default=False,
        description="Sources give different figures: give each as its own amount, each marked disputed and with "
        "its source; they are shown side by side and left out of totals.",
    )

    @property
    def in_units(self) -> float:
        return self.value * SCALE_FACTOR[self.scale]

    @property
    def counted(self) -> bool:
        """Whether the amount is public money committed to a recipient, and so counted in totals."""
        return self.public and not self.programme and not self.disputed


class Form(str, Enum):
    """What a clause covers of a mineral: the stage of processing, or what is made from it."""

    ore = "ore"
    concentrate = "concentrate"
    metal = "metal"
    alloy = "alloy"
    oxide = "oxide"
    compound = "compound"
    material = "material"  # processed materials: targets, anode or cathode materials, powders
    magnet = "magnet"
    product = "product"  # finished goods, such as battery cells
    technology = "technology"
    equipment = "equipment"


class EndUser(str, Enum):
    """Whose use a clause speaks of, where it names end users rather than whole destinations."""

    military = "military"  # military end users and military end uses
    listed_entities = "listed-entities"  # entities on a control or entity list


class RelationType(str, Enum):
    suspends = "suspends"
    amends = "amends"
    supersedes = "supersedes"
    implements = "implements"


class Dates(Strict):
    announced: Day = Field(description="Date the measure was issued or announced.")
    effective: Day | None = Field(default=None, description="Leave out while the entry-into-force date is unknown.")
    expires: Day | None = Field(default=None, description="Last day in force (inclusive).")
    revoked: Day | None = Field(default=None, description="First day no longer in force.")

    @model_validator(mode="after")
    def _in_order(self) -> Dates:
        order = [("announced", self.announced), ("effective", self.effective), ("expires", self.expires)]
        known = [(name, day) for name, day in order if day is not None]
        for (first, a), (second, b) in pairwise(known):
            if a > b:
                raise ValueError(
                    f"{first} ({a}) is after {second} ({b}); dates must run announced ≤ effective ≤ expires"
                )
        return self


class Scope(Strict):
    """What a measure or clause covers and whom it applies to, as data: forms, codes, destinations, end users."""

    forms: list[Form] = Field(
        default_factory=list,
        description="The forms covered: ore, concentrate, metal, alloy, oxide, compound, material, magnet, product, "
        "technology or equipment.",
    )
    hs_codes: list[HsCode] = Field(default_factory=list, description="Customs (HS) codes, as the source gives them.")
    control_codes: list[ControlCode] = Field(
        default_factory=list, description="Control-list codes, as the source gives them, e.g. '1C902'."
    )
    destinations: list[Destination] = Field(
        default_factory=list,
        description="Where the exports it governs go: ISO 3166-1 alpha-2 codes, or 'all' for every destination.",
    )
    end_users: list[EndUser] = Field(
        default_factory=list, description="The end users it speaks of: military or listed-entities."
    )
    processing_threshold: Note | None = Field(
        default=None,
        description="For an ore-export ban: how far the mineral must be processed before it may be exported.",
    )


class Clause(Scope):
    id: Annotated[str, StringConstraints(pattern=r"^[0-9a-z.()]+$")] = Field(
        description="Clause number as in the text."
    )
    summary: Statement
    instrument: Instrument = Field(description="What kind of measure the clause is.")
    minerals: list[MineralId] = Field(default_factory=list)
    targets: list[Text] = Field(default_factory=list, description="Who or what the clause applies to.")


class Relation(Strict):
    type: RelationType = Field(description="suspends, amends, supersedes or implements.")
    policy: PolicyId
    clause: str | None = Field(
        default=None, description="Clause of the other policy acted on; leave out for all of it."
    )
    start: Day = Field(description="First day the relation applies.")
    end: Day | None = Field(default=None, description="Last day the relation applies (inclusive).")
    source: SourceId | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Relation:
        if self.end is not None and self.start > self.end:
            raise ValueError(f"start ({self.start}) is after end ({self.end})")
        return self


class Policy(Researched, Scope):
    collection: ClassVar[str] = "policies"  # the folder in data/, the URL prefix, the API and CSV name

    document_number: Text = Field(description="Official number, e.g. 'MOFCOM Announcement No. 46 of 2024'.")
    title: Text
    title_original: Text | None = Field(default=None, description="Title in the original language, where seen.")
    short_title: Text | None = Field(
        default=None, description="Short name used in tables and links, e.g. 'MOFCOM No. 46 of 2024'."
    )
    jurisdiction: Jurisdiction = Field(description="ISO 3166-1 alpha-2 code of the country, or EU.")
    authorities: list[Text] = Field(
        min_length=1, description="Issuing authorities, e.g. 'Ministry of Commerce (MOFCOM)'."
    )
    instrument: Instrument = Field(description="What kind of measure it is.")
    minerals: list[MineralId] = Field(default_factory=list)
    targets: list[Text] = Field(default_factory=list, description="Who or what the measure applies to.")
    summary: Statement
    dates: Dates
    conditional: bool = Field(
        default=False, description="For a funding award or loan: payment depends on conditions not yet met."
    )
    binding: bool = Field(
        default=True,
        description="false for a framework, memorandum, joint statement or letter of intent that binds no one: "
        "it is shown as not binding, never as in force.",
    )
    steps: list[Step] = Field(
        default_factory=list,
        description="For a support measure (grant, loan, equity stake, offtake...): its dated steps, each with "
        "its source. Its status on a day is its latest step by then.",
    )
    amounts: list[Amount] = Field(
        default_factory=list, description="The money: each sum in its currency and scale, with its source."
    )
    projects: list[ProjectId] = Field(
        default_factory=list, description="The projects the measure funds or designates (data/projects/<id>.yaml)."
    )
    clauses: list[Clause] = Field(
        default_factory=list, description="Clauses, where the measure acts clause by clause; each gets its own status."
    )
    relations: list[Relation] = Field(
        default_factory=list,
        description="What this measure does to other measures (suspends, amends, supersedes, implements).",
    )
    key_facts: list[Fact] = Field(default_factory=list, description="Other sourced facts about the measure.")
    status_checks: list[StatusCheck] = Field(
        default_factory=list,
        description="What a source dated after a change said of the measure's status (still in force, suspended, "
        "lapsed); a status a source confirms is shown as confirmed, not only scheduled.",
    )

    def covered_minerals(self) -> set[str]:
        """The minerals the measure or any of its clauses names."""
        return {*self.minerals, *(m for c in self.clauses for m in c.minerals)}

    @model_validator(mode="after")
    def _support_fields(self) -> Policy:
        if self.steps and self.instrument not in SUPPORT_INSTRUMENTS:
            raise FieldError(
                "steps",
                f"a {self.instrument.value} measure has no steps; steps are for support measures "
                f"({', '.join(sorted(i.value for i in SUPPORT_INSTRUMENTS))}): give its dates under `dates`",
            )
        for index, amount in enumerate(self.amounts):
            if amount.project is not None and amount.project not in self.projects:
                raise FieldError(
                    f"amounts.{index}.project",
                    f"'{amount.project}' is not among the measure's projects; add it to `projects`, so that the "
                    "project's page lists the measure",
                )
        return self


class ObservedStatus(str, Enum):
    in_force = "in-force"
    suspended = "suspended"
    expired = "expired"
    revoked = "revoked"


class StatusCheck(Cited):
    """A source's word on a measure's status on a given day."""

    date: Day = Field(description="The day the source says the status held (usually its publication date).")
    clause: str | None = Field(default=None, description="The clause it speaks of; leave out for the whole measure.")
    status: ObservedStatus = Field(description="in-force, suspended, expired or revoked, as the source says.")
    through: Day | None = Field(
        default=None,
        description="The last day the source says the status holds to, where it gives one (an extension's new end "
        "date); the status check then speaks for the days up to it.",
    )

    @model_validator(mode="after")
    def _through_after_date(self) -> StatusCheck:
        if self.through is not None and self.through < self.date:
            raise ValueError(
                f"through ({self.through}) is before date ({self.date}); give the last day the status holds"
            )
        return self


class Fact(Cited):
    """A sourced statement about a record."""

    text: Note = Field(description="The fact, in one or two plain sentences.")
    date: Fuzzy | None = Field(default=None, description="When it happened: YYYY-MM-DD, YYYY-MM or YYYY.")


class Operator(Strict):
    name: Text = Field(description="Company name, e.g. 'Perpetua Resources Corp.'.")
    tickers: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z/ ]+:[A-Z0-9.]+$")]] = Field(
        default_factory=list, description="Exchange:ticker, e.g. 'ASX:FXG'."
    )


class Coordinates(Cited):
    lat: float = Field(ge=-90, le=90, description="Latitude in decimal degrees.")
    lon: float = Field(ge=-180, le=180, description="Longitude in decimal degrees.")


class Location(Strict):
    country: Country = Field(description="ISO 3166-1 alpha-2 code, e.g. US.")
    region: Text = Field(description="State, province or region, e.g. 'Idaho'.")
    district: Text | None = Field(default=None, description="County, district or mining district.")
    coordinates: Coordinates | None = Field(
        default=None, description="Latitude and longitude, with the source that gives them."
    )


class ProjectStage(str, Enum):
    exploration = "exploration"
    resource = "resource"
    feasibility = "feasibility"
    permitting = "permitting"
    construction = "construction"
    pilot = "pilot"  # a pilot or demonstration plant runs
    production = "production"
    expansion = "expansion"  # producing, with an expansion under way
    care_and_maintenance = "care-and-maintenance"
    cancelled = "cancelled"


class Milestone(Cited):
    date: Fuzzy = Field(description="YYYY-MM-DD, or YYYY-MM / YYYY when the day is not known.")
    text: Note = Field(description="What happened.")
    stage: ProjectStage | None = Field(
        default=None, description="The stage the project is in from this milestone on, where it changes it."
    )
    expected: bool = Field(
        default=False,
        description="The date is a target ('first production targeted for 2028'), not a step that happened: "
        "shown as scheduled, and past its date as not confirmed, until a later milestone confirms it.",
    )


class CapacityUnit(str, Enum):
    kg_per_year = "kg/yr"
    t_per_year = "t/yr"
    kt_per_year = "kt/yr"
    mt_per_year = "Mt/yr"
    oz_per_year = "oz/yr"
    koz_per_year = "koz/yr"


class Capacity(Cited):
    """What a project makes or will make in a year, as the source states it."""

    value: float = Field(gt=0)
    unit: CapacityUnit = Field(description="kg/yr, t/yr, kt/yr, Mt/yr, oz/yr or koz/yr.")
    what: Text = Field(description="What is counted, as the source says, e.g. 'lithium carbonate' or 'NdFeB magnets'.")
    mineral: MineralId | None = Field(default=None, description="The mineral the figure is of, if one.")
    contained: bool = Field(
        default=False,
        description="true when the figure counts the mineral's own content (contained metal), as USGS world "
        "production does; only such figures are set beside world production.",
    )
    year: int | None = Field(default=None, ge=1900, le=2100, description="The year the capacity is targeted for.")
    up_to: bool = Field(default=False, description="The figure is a ceiling ('up to').")
    disputed: bool = Field(
        default=False, description="Sources give different figures: give each, each marked disputed."
    )


class Support(Cited):
    program: Text = Field(description="The programme, e.g. 'DPA Title III'.")
    policy: PolicyId | None = Field(default=None, description="Policy record of the program, where there is one.")
    amount_usd_million: float | None = Field(default=None, ge=0, description="Amount in millions of US dollars.")
    up_to: bool = Field(default=False, description="The amount is a ceiling ('up to').")
    conditional: bool = Field(default=False, description="The support depends on conditions not yet met.")
    date: Fuzzy = Field(description="YYYY-MM-DD, or YYYY-MM / YYYY when the day is not known.")
    text: Note = Field(description="What was awarded or offered, in plain words.")


class ResultKind(str, Enum):
    drilling = "drilling"
    sampling = "sampling"
    metallurgy = "metallurgy"
    exploration_target = "exploration-target"
    resource = "resource"
    reserve = "reserve"


class Result(Cited):
    kind: ResultKind
    text: Note = Field(description="The result as reported, e.g. '12.2 m at 1.47% Sb'.")
    date: Fuzzy | None = Field(default=None, description="When it was reported.")
    company_reported: bool = Field(description="True when the figure comes from the company itself.")


class Project(Researched):
    collection: ClassVar[str] = "projects"  # the folder in data/, the URL prefix, the API and CSV name

    name: Text = Field(description="Project name, e.g. 'Stibnite Gold'.")
    aliases: list[Text] = Field(default_factory=list, description="Other names search should find.")
    operator: Operator = Field(description="The company running the project.")
    location: Location = Field(description="Where the project is.")
    minerals: list[MineralId] = Field(min_length=1)
    stage: ProjectStage | None = Field(default=None, description="Leave out while no source states the stage.")
    stage_source: SourceId | None = Field(default=None, description="Source record for the stage.")
    products: list[Text] = Field(default_factory=list, description="What it makes or will make.")
    capacity: list[Capacity] = Field(
        default_factory=list, description="Stated capacity: value, unit, what is counted and year, with source."
    )
    summary: Statement
    prospects: list[Text] = Field(default_factory=list, description="Named prospects or deposits within the project.")
    milestones: list[Milestone] = Field(
        default_factory=list, description="Dated steps: permits, decisions, first production."
    )
    support: list[Support] = Field(
        default_factory=list, description="Government support: grants, awards, loans, letters of interest."
    )
    results: list[Result] = Field(
        default_factory=list,
        description="Drilling, sampling, metallurgy and resource results; mark company-reported ones.",
    )

    @model_validator(mode="after")
    def _stage_has_source(self) -> Project:
        if (self.stage is None) != (self.stage_source is None):
            raise ValueError("stage and stage_source go together: give both, or leave both out")
        return self


class SourceKind(str, Enum):
    primary = "primary"
    reproduction = "reproduction"
    secondary = "secondary"


class Source(Record):
    collection: ClassVar[str] = "sources"  # the folder in data/, the URL prefix, the API and CSV name

    title: Text
    publisher: Text = Field(description="Who published it, e.g. 'U.S. Geological Survey'.")
    url: HttpUrl | None = Field(default=None, description="Leave out when no address has been seen.")
    published: Fuzzy | None = Field(default=None, description="Leave out when the publication date is not shown.")
    accessed: Day | None = Field(default=None, description="When the page was read, if known.")
    kind: SourceKind = Field(
        description="primary: official or company text; reproduction: a faithful copy of one; "
        "secondary: news, law firms, analysts."
    )
    note: Note | None = None


class Event(Researched):
    collection: ClassVar[str] = "events"  # the folder in data/, the URL prefix, the API and CSV name

    title: Text
    date: Day = Field(description="First day of the event.")
    end_date: Day | None = Field(default=None, description="Last day, for events of more than one day.")
    location: Text | None = Field(default=None, description="Where it took place, e.g. 'Busan, South Korea'.")
    country: Country | None = None
    summary: Statement
    minerals: list[MineralId] = Field(default_factory=list)
    policies: list[PolicyId] = Field(default_factory=list, description="Measures the event led to or concerned.")

    @model_validator(mode="after")
    def _in_order(self) -> Event:
        if self.end_date is not None and self.end_date < self.date:
            raise FieldError(
                "end_date", f"'{self.end_date}' is before date ({self.date}); the last day cannot precede the first"
            )
        return self


Policy.model_rebuild()


class Correction(Strict):
    """A published correction applied to a figure: the token first published, and who corrected it."""

    was: Text = Field(description="The value as first published.")
    source: SourceId = Field(description="Source record of the correction, e.g. USGS's version history.")
    note: Text = Field(description="What was corrected, and when.")


class Anomaly(Strict):
    """A figure that contradicts its own chapter: kept as published, flagged, and left out of shares."""

    note: Text = Field(description="What is wrong with the figure, in one sentence.")
    evidence: Text = Field(description="The chapter's own words that the figure contradicts, quoted.")
    source: SourceId = Field(description="Source record of the chapter quoted.")


class Observation(Strict):
    """One figure of a statistical release, as published: the value token exactly as printed, and its number."""

    line: int = Field(ge=1, description="Line of the release file the figure comes from.")
    commodity: Text = Field(description="Commodity as the release names it, e.g. 'Cobalt', 'Neodymium'.")
    area: Text = Field(description="Country or group as the release names it, e.g. 'Congo (Kinshasa)', 'World total'.")
    country: Country | None = Field(default=None, description="ISO 3166-1 alpha-2 code, when the area is one country.")
    statistic: Text = Field(description="What is measured, e.g. 'Production', 'Reserves', 'Net import reliance'.")
    scope: str = Field(
        description="The release's own detail of what is counted, e.g. 'Mine production: contained cobalt'."
    )
    unit: str = Field(description="Unit as the release gives it, e.g. 'metric tons', 'percent'.")
    year: Text = Field(description="Year or period as published, e.g. '2025' or '2021–24'.")
    value: str = Field(description="The value token exactly as printed: '839,000', 'W', 'NA', '>50', '50–300'.")
    number: float | None = Field(default=None, description="The value as a number, where the token is one.")
    low: float | None = Field(default=None, description="Lower bound of a range or of a '>' value.")
    high: float | None = Field(default=None, description="Upper bound of a range or of a '<' value.")
    estimated: bool = Field(default=False, description="The release marks the figure as estimated.")
    notes: str | None = Field(default=None, description="The release's note on the figure.")
    corrected: Correction | None = Field(default=None, description="A correction published after the release.")
    notes_corrected: Correction | None = Field(
        default=None, description="A correction of the figure's note published after the release; `was` is the note."
    )
    anomaly: Anomaly | None = Field(
        default=None, description="Why the figure contradicts its own chapter; it is shown, and left out of shares."
    )


class PublishedShare(Strict):
    """A share of world output that the chapter's text itself states, e.g. 'an estimated 73% of world total'."""

    statistic: Text = Field(description="The statistic the share is of, e.g. 'Production'.")
    year: Text = Field(description="Year of the share, e.g. '2025'.")
    country: Country = Field(description="ISO 3166-1 alpha-2 code of the country the share is of.")
    percent: float = Field(ge=0, le=100, description="The share as the chapter states it, in percent.")
    quote: Text = Field(description="The chapter's words stating the share.")
    source: SourceId = Field(description="Source record of the chapter.")


class Section(Strict):
    """A section of a chapter (e.g. 'World Mine Production and Reserves'), with its note and its figures."""

    name: Text = Field(description="Section of the chapter, e.g. 'World Mine Production and Reserves'.")
    notes: str | None = Field(default=None, description="The release's note on the whole section.")
    notes_corrected: Correction | None = Field(
        default=None, description="A correction of the section's note published after the release; `was` is the note."
    )
    figures: list[Observation] = Field(description="Every figure of the section, in the release's order.")


class FigureSet(Record):
    """The figures of one chapter of a statistical release, written by `atlas import`: not edited by hand."""

    collection: ClassVar[str] = "observations"  # the folder in data/, the URL prefix, the API and CSV name

    release: SourceId = Field(description="Source record of the data release.")
    edition: Text = Field(description="Edition of the publication, e.g. 'MCS 2026'.")
    chapter: Text = Field(description="Chapter name as the release gives it, e.g. 'COBALT'.")
    chapter_source: SourceId | None = Field(default=None, description="Source record of the chapter's text.")
    release_file: str | None = Field(
        default=None, description="The file of the release the figures' lines refer to, where the release has several."
    )
    critical: bool | None = Field(default=None, description="The release's flag: a critical mineral in 2025.")
    sections: list[Section] = Field(description="The chapter's tables, each with its note and its figures.")
    published_shares: list[PublishedShare] = Field(
        default_factory=list, description="Shares of world output that the chapter's text states in its own words."
    )
