"""The data that crosses the search interface: what an adapter hands in, what a query asks,
what comes back. Plain dataclasses, so both engines (and the evaluation command) share them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

PUBLIC = "public"

# Body passages embedded besides the lead (`Document.passage_texts`): a question about a detail
# deep in a body matches the passage that holds it, which a vector of the lead alone misses.
PASSAGE_CHARS = 400
MAX_PASSAGES = 8
_SENTENCE_END = re.compile(r"(?<=[.!?\u061f])\s+")


def body_passages(body: str, size: int = PASSAGE_CHARS) -> list[str]:
    """The body cut at sentence ends into passages of about `size` characters (a longer
    sentence is a passage of its own), at most MAX_PASSAGES of them."""
    passages: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(body.strip()):
        if current and len(current) + len(sentence) > size:
            passages.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        passages.append(current)
    return passages[:MAX_PASSAGES]


MEMBERS = "members"


def user_audience(user_id: int) -> str:
    return f"user:{user_id}"


def organisation_audience(organisation_id: int) -> str:
    return f"organisation:{organisation_id}"


def group_audience(group_id: int) -> str:
    """The members of one auth group (a Wagtail "groups" view restriction names them)."""
    return f"group:{group_id}"


# Superusers: Wagtail lets them through every "groups" view restriction (never a password one).
SUPERUSERS = "superusers"


@dataclass
class Document:
    """One indexable item. `audiences` is who may see it (written at index time from the
    visibility functions the pages use); `group` joins the translations of one page, shown as
    one result in the reader's language."""

    key: str
    doc_type: str
    object_id: str
    language: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    audiences: list[str] = field(default_factory=lambda: [PUBLIC])
    group: str = ""
    countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    date: datetime | None = None
    deadline: datetime | None = None
    # When it first became readable (an event's, unlike its date, is not when it starts):
    # what a saved search's alert calls new (`search.alerts`). None: the date.
    published: datetime | None = None

    def __post_init__(self) -> None:
        self.group = self.group or self.key
        if self.published is None:
            self.published = self.date

    def embedding_text(self, body_chars: int = 600) -> str:
        """What is embedded: title, summary and the leading part of the body (embedding a whole
        body costs ~200 ms per passage on this CPU and does not rank better)."""
        parts = [self.title, self.summary, self.body[:body_chars]]
        return ". ".join(part.strip() for part in parts if part and part.strip())

    def passage_texts(self) -> list[str]:
        """The body's passages, each behind the title (which says what it is about)."""
        title = self.title.strip()
        return [f"{title}. {passage}" if title else passage for passage in body_passages(self.body)]

    def content_hash(self) -> str:
        return hashlib.sha256(self.embedding_text().encode()).hexdigest()


FACETS = ("type", "language", "country", "topic", "year")


def no_facets() -> dict[str, dict[str, int]]:
    """The facets of no results: each one, empty."""
    return {name: {} for name in FACETS}


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The first moment of `year` and of the next (UTC): the year filter's range."""
    return (
        datetime(year, 1, 1, tzinfo=UTC),
        datetime(year + 1, 1, 1, tzinfo=UTC),
    )


@dataclass
class SearchQuery:
    """A reader's question, with the audiences they belong to (`viewer_audiences`)."""

    text: str
    viewer_audiences: list[str] = field(default_factory=lambda: [PUBLIC])
    language: str = "en"
    types: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)  # dated in one of these years
    published_after: datetime | None = None  # first readable after this moment
    include_closed: bool = False
    page: int = 1
    page_size: int = 10
    # Which signals to fuse; the evaluation command switches them off one by one.
    signals: tuple[str, ...] = ("keyword", "taxonomy", "semantic")


@dataclass
class Found:
    """What every engine's answer names of a document: which one, its title, language and
    address."""

    key: str
    doc_type: str
    object_id: str
    title: str
    language: str
    url: str


@dataclass
class Hit(Found):
    snippet: str  # safe HTML: escaped text with <mark> around the matched words
    title_html: str
    score: float
    matched_by: list[str]
    matched_language: str  # the language of the translation that matched
    group: str = ""  # its translation group: the same whichever version is shown


@dataclass
class Suggestion(Found):
    """A title offered while the reader types (`SearchBackend.suggest`): one per translation
    group, among what the reader may see, in the reader's language where the group has that
    version for them (as a result is shown); `matched_language` is the one whose title
    matched what was typed."""

    matched_language: str = ""

    def __post_init__(self) -> None:
        self.matched_language = self.matched_language or self.language


@dataclass
class Results:
    hits: list[Hit]
    total: int
    page: int
    page_size: int
    facets: dict[str, dict[str, int]]
    notice: str = ""  # said to the reader when the results come from the fallback engine
    engine: str = ""  # the backend that answered

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))
