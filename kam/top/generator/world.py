"""The generated world in memory while it is written: who and what exists, with the ids the
rows got. Light objects with slots; what only one table needs (figures, contacts) is streamed
straight into it instead of being kept here."""

import random
import unicodedata
from bisect import bisect
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import accumulate

from kam.top.generator.bulk import Loader
from stakeholders.models import is_key_person


@dataclass(frozen=True)
class Size:
    groups: int
    nodes: int
    stakeholders: int
    interactions: int
    relationships: int
    # (nodes, levels) of the one group that is clearly bigger and deeper than the rest.
    big_group: tuple[int, int]
    leaders: int


@dataclass(slots=True, eq=False)
class Colleague:
    id: int
    username: str
    first_name: str
    last_name: str
    role: str
    country: str


@dataclass(slots=True, eq=False)
class Node:
    id: int
    group: "Group"
    parent: "Node | None"
    level: int  # the group is level 1
    kind: str
    name: str = ""
    country: str = ""
    city: str = ""
    share: Decimal | None = None
    people: list["Person"] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Person:
    id: int
    node: Node
    first_name: str
    last_name: str
    role: str
    influence: int
    attitude: str
    job_title: str = ""
    manager: "Person | None" = None
    owner: Colleague | None = None
    contacts: list[Colleague] = field(default_factory=list)  # colleagues with a relationship to them
    # Per contact above: the points their contacts earned (decayed to today), and the moment of
    # the last one (-1: never).
    points: list[float] = field(default_factory=list)
    last: list[int] = field(default_factory=list)
    name: str = ""  # first and last

    def __post_init__(self) -> None:
        self.name = f"{self.first_name} {self.last_name}"

    @property
    def is_key(self) -> bool:
        return is_key_person(self.role, self.influence)


@dataclass(slots=True, eq=False)
class Group:
    stem: str
    home: str  # country of the headquarters
    owner: Colleague
    nodes: list[Node] = field(default_factory=list)
    # The account team: (node, colleague, AccountTeamMember.Role value).
    team: list[tuple[Node, Colleague, str]] = field(default_factory=list)
    local: dict[str, Colleague] = field(default_factory=dict)  # country -> local account manager
    people: list[Person] = field(default_factory=list)
    by_colleague: dict[int, list[Person]] = field(default_factory=dict)  # colleague id -> people they know
    revenue: dict[str, Decimal] = field(default_factory=dict)  # product line code -> this year's own revenue
    nodes_with_revenue: int = 0

    @property
    def root(self) -> Node:
        return self.nodes[0]

    @property
    def colleagues(self) -> list[Colleague]:
        """The team, each colleague once, in the order they joined it."""
        return list({c.id: c for _node, c, _role in self.team}.values())


@dataclass(eq=False)
class World:
    size: Size
    rng: random.Random
    loader: Loader
    now: datetime
    today: date
    kams: list[Colleague] = field(default_factory=list)
    leaders: list[Colleague] = field(default_factory=list)
    regionals: list[Colleague] = field(default_factory=list)
    regionals_by_country: dict[str, list[Colleague]] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    product_lines: dict[str, int] = field(default_factory=dict)  # code -> id
    pairs: list[tuple[Colleague, Person]] = field(default_factory=list)  # the relationships
    # Contact times by slot number (see contacts._moment): formatted, age in days, decay weight.
    moments: list[str | None] = field(default_factory=list)
    ages: list[float | None] = field(default_factory=list)
    weights: list[float | None] = field(default_factory=list)
    next_user_id: int = 0
    usernames: set[str] = field(default_factory=set)

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def colleagues(self) -> list[Colleague]:
        return [*self.kams, *self.leaders, *self.regionals]


class Weights:
    """Keys drawn in proportion to their weights: random.choices' arithmetic (the same draws from
    the same seed) without building the cumulative weights on every call."""

    def __init__(self, weights: dict[Hashable, int | float]) -> None:
        self.keys = list(weights)
        self.cumulative = list(accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random):
        return self.keys[bisect(self.cumulative, rng.random() * self.total)]


def weighted(rng: random.Random, weights: dict[Hashable, int | float]):
    """One key of `weights`, drawn in proportion to its value."""
    return Weights(weights).draw(rng)


_NOT_DECOMPOSED = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "Ø": "O"})


def ascii_slug(text: str) -> str:
    """Lower-case ASCII for user names and mail boxes: "Müller" -> "muller"."""
    folded = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED)).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == "-")
