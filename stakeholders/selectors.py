"""Reads of people, contacts and relationships, always through the visibility rule."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.hierarchy import ANCESTOR_IDS_SQL, GROUP_IDS_SQL, SUBTREE_IDS_SQL, group_root_ids
from accounts.models import Account
from kam.models import User
from kam.visibility import editable_account_ids, visible_account_ids
from stakeholders import decay
from stakeholders.models import Give, InfluenceLink, Interaction, Position, Relationship, Stakeholder


def subtree_of(account_id: int) -> RawSQL:
    return RawSQL(SUBTREE_IDS_SQL, [account_id])


def _flag(ids: QuerySet | RawSQL | None, account_field: str) -> Expression:
    """True where the account in `account_field` is among `ids` (None: all of them)."""
    if ids is None:
        return Value(True)
    # Through the accounts table, not the bare scope: PostgreSQL then expects at most as many
    # rows as there are accounts and hashes the set once. Its estimate of the recursive KAM
    # scope is far larger; checked row by row, the query's cost made its JIT compile for seconds.
    scope = Account.objects.filter(pk__in=ids).values("pk")
    return Case(
        When(**{f"{account_field}__in": scope}, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def visible_flag(user: User, account_field: str = "account") -> Expression:
    """The visibility rule as a column, for rows read whether or not `user` may see them."""
    return _flag(visible_account_ids(user), account_field)


def editable_flag(user: User, account_field: str = "account") -> Expression:
    return _flag(editable_account_ids(user), account_field)


# --- people -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StakeholderFilters:
    q: str = ""  # every word in a name, the job title or the email
    buying_role: str = ""
    attitude: str = ""
    min_influence: int | None = None
    rising: bool = False
    key_only: bool = False
    account: int | None = None  # the node and everything below it
    owner: int | None = None
    status: str = ""  # best relationship status: warm, cooling, cold or "none"
    sort: str = "name"  # a key of PEOPLE_SORTS, "-" first for descending


# The people list's sort keys: what each orders by, and whether its header sorts biggest first
# on the first click (numbers) rather than A–Z.
PEOPLE_SORTS: dict[str, tuple[tuple, bool]] = {
    "name": ((Lower("last_name"), Lower("first_name")), False),
    "account": ((Lower("account__name"), Lower("last_name")), False),
    "role": (("buying_role", Lower("last_name")), False),
    "influence": (("influence", Lower("last_name")), True),
    "attitude": (("attitude", Lower("last_name")), False),
    "owner": ((Lower("relationship_owner__username"), Lower("last_name")), False),
    "strength": (("best_strength", Lower("last_name")), True),
}


def _people_ordering(sort: str) -> list:
    key = sort.lstrip("-")
    if key not in PEOPLE_SORTS:
        key, sort = "name", "name"
    first, *rest = PEOPLE_SORTS[key][0]
    first = first if hasattr(first, "resolve_expression") else F(first)
    first = first.desc(nulls_last=True) if sort.startswith("-") else first.asc(nulls_last=True)
    return [first, *rest, "pk"]


_best_strength = Relationship.objects.filter(stakeholder=OuterRef("pk")).order_by("-strength").values("strength")[:1]


def stakeholder_list(*, user: User, filters: StakeholderFilters = StakeholderFilters()) -> QuerySet[Stakeholder]:
    people = (
        Stakeholder.objects.visible_to(user)
        .select_related("account", "relationship_owner")
        # A subquery per row shown, not a GROUP BY over every relationship: the page takes the
        # first 50 in name order straight from the index, however many people there are.
        .annotate(best_strength=Subquery(_best_strength))
    )
    for word in filters.q.split()[:8]:  # "Markus Vogel" and "Vogel Markus" alike
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(email__icontains=word)
        )
    if filters.buying_role:
        people = people.filter(buying_role=filters.buying_role)
    if filters.attitude:
        people = people.filter(attitude=filters.attitude)
    if filters.min_influence:
        people = people.filter(influence__gte=filters.min_influence)
    if filters.rising:
        people = people.filter(rising=True)
    if filters.key_only:
        people = people.key_people()
    if filters.account:
        people = people.filter(account_id__in=subtree_of(filters.account))
    if filters.owner:
        people = people.filter(relationship_owner_id=filters.owner)
    if filters.status:
        people = _with_best_status(people, filters.status)
    return people.order_by(*_people_ordering(filters.sort))


# Best first: someone warm with one colleague and cold with another counts as warm.
_STATUS_RANK = [Relationship.Status.WARM, Relationship.Status.COOLING, Relationship.Status.COLD]


def _with_best_status(people: QuerySet[Stakeholder], status: str) -> QuerySet[Stakeholder]:
    """People whose best relationship has `status`; "none": people nobody on our side has one with."""
    better = _STATUS_RANK if status == "none" else _STATUS_RANK[: _STATUS_RANK.index(status)]
    if better:
        people = people.exclude(pk__in=Relationship.objects.filter(status__in=better).values("stakeholder_id"))
    if status != "none":
        people = people.filter(pk__in=Relationship.objects.filter(status=status).values("stakeholder_id"))
    return people


def account_options(
    *, user: User, editable: bool = False, q: str = "", near: Account | None = None, limit: int = 200
) -> list[Account]:
    """Accounts for a select that must stay short at 50,000 nodes: those whose name matches
    `q`; else the nodes of `near`'s customer group; else everything `user` may see or change
    if it fits, the tops first when it does not (groups, key accounts, the highest nodes of a
    colleague's assignments). Sorted by name."""
    accounts = (Account.objects.editable_by(user) if editable else Account.objects.visible_to(user)).active()
    if q:
        accounts = accounts.filter(name__icontains=q).order_by(Lower("name"), "pk")
    elif near is not None:
        accounts = accounts.filter(pk__in=subtree_of(group_root_ids([near.pk])[near.pk])).order_by(Lower("name"), "pk")
    else:
        scope = editable_account_ids(user) if editable else visible_account_ids(user)
        tops = Q(parent__isnull=True) | Q(is_key_account=True)
        if scope is not None:
            tops |= ~Q(parent_id__in=scope)
        top_first = Case(When(tops, then=Value(0)), default=Value(1))
        accounts = accounts.order_by(top_first, Lower("name"), "pk")
    return sorted(accounts[:limit], key=lambda account: (account.name.lower(), account.pk))


def stakeholder_get(*, user: User, pk: int) -> Stakeholder:
    """The person if `user` may see them, with `can_edit` (whether `user` may change them) and
    `manager_visible` (whether `user` may see whom they report to): one query."""
    person = (
        Stakeholder.objects.visible_to(user)
        .select_related("account", "reports_to__account", "relationship_owner")
        .annotate(can_edit=editable_flag(user), manager_visible=visible_flag(user, "reports_to__account"))
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404("No such person.")
    return person


def group_people_queryset(*, user: User, account: Account) -> QuerySet[Stakeholder]:
    """People anywhere in `account`'s customer group whom `user` may see."""
    return Stakeholder.objects.visible_to(user).filter(account_id__in=RawSQL(GROUP_IDS_SQL, [account.pk]))


def group_people(*, user: User, account: Account, q: str = "", limit: int = 10) -> list[Stakeholder]:
    """The first `limit` people of `account`'s group matching every word of `q`, for a type-ahead."""
    people = group_people_queryset(user=user, account=account).select_related("account")
    for word in q.split():
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(job_title__icontains=word)
        )
    return list(people.order_by(Lower("last_name"), Lower("first_name"), "pk")[:limit])


def visible_manager(stakeholder: Stakeholder) -> Stakeholder | None:
    """Whom a person from `stakeholder_get` reports to, unless the user they were read for may
    not see that manager."""
    return stakeholder.reports_to if stakeholder.manager_visible else None


def direct_reports(*, user: User, stakeholder: Stakeholder) -> QuerySet[Stakeholder]:
    return Stakeholder.objects.visible_to(user).filter(reports_to=stakeholder).order_by("last_name", "first_name")


@dataclass(frozen=True)
class Places:
    breadcrumbs: list[Account]  # the visible accounts above the person's, top first
    positions: list[Position]  # newest first; each position's account says in `visible` whether the user sees it


def places_of(*, user: User, stakeholder: Stakeholder) -> Places:
    """The accounts a person's page names, in one query: the path down to where they work and
    where they held each position, each with `visible`. An account comes once per position the
    person held there (joined in as position_*), once if none."""
    held = FilteredRelation("positions", condition=Q(positions__stakeholder=stakeholder))
    rows = list(
        Account.objects.annotate(
            held=held,
            visible=visible_flag(user, "pk"),
            position_pk=F("held__pk"),
            position_title=F("held__job_title"),
            position_from=F("held__started_on"),
            position_to=F("held__ended_on"),
        )
        .filter(
            Q(pk__in=RawSQL(ANCESTOR_IDS_SQL, [stakeholder.account_id]))
            | Q(pk__in=stakeholder.positions.values("account_id"))
        )
        .order_by()
    )
    by_id = {account.pk: account for account in rows}
    breadcrumbs = []
    above = by_id[stakeholder.account_id].parent_id
    while above is not None:
        breadcrumbs.append(by_id[above])
        above = by_id[above].parent_id
    positions = [
        Position(
            pk=row.position_pk,
            stakeholder=stakeholder,
            account=row,
            job_title=row.position_title,
            started_on=row.position_from,
            ended_on=row.position_to,
        )
        for row in rows
        if row.position_pk is not None
    ]
    return Places(
        breadcrumbs=[account for account in reversed(breadcrumbs) if account.visible],
        positions=sorted(positions, key=lambda position: (position.started_on, position.pk), reverse=True),
    )


def influence_links_of(*, user: User, stakeholder: Stakeholder) -> QuerySet[InfluenceLink]:
    return (
        InfluenceLink.objects.visible_to(user)
        .filter(Q(source=stakeholder) | Q(target=stakeholder))
        .filter(target__in=Stakeholder.objects.visible_to(user))
        .select_related("source", "target")
    )


# --- the people of a subtree: org chart, power map, coverage ------------------------------


@dataclass
class OrgChartNode:
    person: Stakeholder
    depth: int
    reports: int = 0


def subtree_people(*, user: User, account: Account) -> list[Stakeholder]:
    """Every visible person on `account` and below, with their best relationship (one query)."""
    return list(
        Stakeholder.objects.visible_to(user)
        .filter(account_id__in=subtree_of(account.pk))
        .select_related("account", "relationship_owner")
        .annotate(
            best_strength=Max("relationships__strength"),
            warm_relationships=Count("relationships", filter=Q(relationships__status=Relationship.Status.WARM)),
            cooling_relationships=Count("relationships", filter=Q(relationships__status=Relationship.Status.COOLING)),
        )
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
    )


def best_status(person: Stakeholder) -> str:
    """The status of the best relationship of someone from `subtree_people`, "" when none."""
    if person.warm_relationships:
        return Relationship.Status.WARM
    if person.cooling_relationships:
        return Relationship.Status.COOLING
    return Relationship.Status.COLD if person.best_strength is not None else ""


def influence_links_among(*, account: Account, people: list[Stakeholder]) -> list[InfluenceLink]:
    """The influence links between `people` (from `subtree_people`), in one query; a link to
    someone not among them is left out. Source and target come from `people`, not the database."""
    if not people:
        return []
    by_id = {person.pk: person for person in people}
    links = (
        InfluenceLink.objects.filter(source__account_id__in=subtree_of(account.pk))
        .only("source_id", "target_id", "kind", "strength")
        .order_by()
    )
    among = []
    for link in links:
        if link.source_id in by_id and link.target_id in by_id:
            link.source, link.target = by_id[link.source_id], by_id[link.target_id]
            among.append(link)
    return sorted(among, key=lambda link: (link.source.last_name.lower(), link.kind, link.target.last_name.lower()))


def org_chart(people: list[Stakeholder]) -> list[OrgChartNode]:
    """The reporting lines as rows in depth-first order. Someone whose manager is not among
    `people` (or who has none) starts a tree of their own; the most influential first."""
    by_id = {person.pk: person for person in people}
    children: dict[int | None, list[Stakeholder]] = defaultdict(list)
    for person in people:
        manager = person.reports_to_id if person.reports_to_id in by_id else None
        children[manager].append(person)
    for siblings in children.values():
        siblings.sort(key=lambda p: (-p.influence, p.last_name.lower(), p.first_name.lower()))
    rows: list[OrgChartNode] = []
    stack = [(person, 0) for person in reversed(children[None])]
    while stack:
        person, depth = stack.pop()
        rows.append(OrgChartNode(person, depth, len(children[person.pk])))
        stack.extend((report, depth + 1) for report in reversed(children[person.pk]))
    return rows


@dataclass
class PowerMapCell:
    influence: int
    attitude: str
    people: list[Stakeholder] = field(default_factory=list)


ATTITUDES = [value for value, _label in Stakeholder.Attitude.choices]


def power_map(people: list[Stakeholder]) -> list[list[PowerMapCell]]:
    """Rows of influence 5 down to 1, columns of attitude champion to opponent."""
    grid = {(i, a): PowerMapCell(i, a) for i in range(1, 6) for a in ATTITUDES}
    for person in people:
        grid[(person.influence, person.attitude)].people.append(person)
    return [[grid[(i, a)] for a in ATTITUDES] for i in range(5, 0, -1)]


@dataclass(frozen=True)
class Coverage:
    deciders: int
    uncovered: list[Stakeholder]
    warm_holders: list[User]
    people: int

    @property
    def covered(self) -> int:
        return self.deciders - len(self.uncovered)

    @property
    def single_threaded(self) -> bool:
        """The whole group hangs on one colleague: if they leave, every warm line goes with them."""
        return len(self.warm_holders) == 1 and self.people > 1


def coverage(*, people: list[Stakeholder], account: Account) -> Coverage:
    """Decision-makers and economic buyers without a warm relationship, and who on our side
    holds the warm relationships of the subtree (one query beyond `people`)."""
    deciders = [p for p in people if p.buying_role in Stakeholder.DECIDER_ROLES]
    holder_ids = (
        Relationship.objects.filter(status=Relationship.Status.WARM, stakeholder__in=[p.pk for p in people])
        .values_list("user_id", flat=True)
        .distinct()
    )
    holders = list(User.objects.filter(pk__in=holder_ids).order_by("username")) if people else []
    return Coverage(
        deciders=len(deciders),
        uncovered=[p for p in deciders if not p.warm_relationships],
        warm_holders=holders,
        people=len(people),
    )


# --- contacts -----------------------------------------------------------------------------


def _visible_participants(user: User) -> Prefetch:
    return Prefetch("stakeholders", queryset=Stakeholder.objects.visible_to(user).order_by("last_name"))


def _colleagues() -> Prefetch:
    return Prefetch("colleagues", queryset=User.objects.order_by("username"))


def _with_participants(interactions: QuerySet[Interaction], user: User) -> QuerySet[Interaction]:
    return interactions.select_related("account", "logged_by").prefetch_related(
        _visible_participants(user), _colleagues()
    )


def group_timeline(*, user: User, account: Account) -> QuerySet[Interaction]:
    """Every contact on `account` and below, newest first (paginate it)."""
    interactions = Interaction.objects.visible_to(user).filter(account_id__in=subtree_of(account.pk))
    return _with_participants(interactions, user).order_by("-occurred_at", "-pk")


def contacts_of(*, user: User, stakeholder: Stakeholder) -> list[Interaction]:
    """Every contact with the person, wherever they worked at the time, newest first, with its
    colleagues and `visible`: the page lists the visible ones and counts them all for relationship
    strength (two queries; `add_participants` adds the people of those shown)."""
    return list(
        Interaction.objects.filter(stakeholders=stakeholder)
        .annotate(visible=visible_flag(user))
        .select_related("account")
        .prefetch_related(_colleagues())
        .order_by("-occurred_at", "-pk")
    )


def add_participants(interactions: list[Interaction], *, user: User) -> None:
    """The people of each contact whom `user` may see, in one query for all of them."""
    prefetch_related_objects(interactions, _visible_participants(user))


def interaction_get(*, user: User, pk: int) -> Interaction:
    interaction = _with_participants(Interaction.objects.visible_to(user), user).filter(pk=pk).first()
    if interaction is None:
        raise Http404("No such interaction.")
    return interaction


def interaction_list(*, user: User) -> QuerySet[Interaction]:
    """Every contact `user` may see, newest first, with its visible people (paginate it)."""
    return _with_participants(Interaction.objects.visible_to(user), user).order_by("-occurred_at", "-pk")


# --- gives and relationships --------------------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    given: int
    received: int
    last_given_at: datetime | None
    last_received_at: datetime | None

    @property
    def balance(self) -> int:
        return self.given - self.received

    @classmethod
    def of(cls, gives: list[Give]) -> "Ledger":
        """The ledger of all of a person's gives."""
        given = [give.occurred_at for give in gives if give.direction == Give.Direction.GIVEN]
        received = [give.occurred_at for give in gives if give.direction == Give.Direction.RECEIVED]
        return cls(len(given), len(received), max(given, default=None), max(received, default=None))


def reciprocity_ledger(stakeholder: Stakeholder) -> Ledger:
    return Ledger.of(list(stakeholder.gives.only("direction", "occurred_at")))


def gives_of(stakeholder: Stakeholder) -> QuerySet[Give]:
    return stakeholder.gives.select_related("user").order_by("-occurred_at", "-pk")


@dataclass(frozen=True)
class ExplainedRelationship:
    relationship: Relationship
    why: decay.Explanation

    @property
    def needs_care(self) -> bool:
        return self.relationship.status != Relationship.Status.WARM


def relationships_of(
    stakeholder: Stakeholder, *, events: list[decay.Event] | None = None
) -> list[ExplainedRelationship]:
    """The person's relationships on our side, strongest first, each with the reason for its
    strength and status: two queries, one when the caller passes all of the person's contacts
    and gives as `events` (see decay.explain)."""
    relationships = stakeholder.relationships.select_related("user").order_by("-strength", "user__username")
    why = decay.explain(stakeholder=stakeholder, events=events)
    return [
        ExplainedRelationship(r, why.get(r.user_id) or decay.no_contact(stakeholder.cadence_days))
        for r in relationships
    ]


# The article's ideas for building trust: small for the giver, valuable for the receiver.
CARE_IDEAS = [
    (Give.Kind.INTRODUCTION, _("Introduce them to someone who can help them.")),
    (Give.Kind.INFORMATION, _("Send them a piece of information they can use.")),
    (Give.Kind.EXPERT_ACCESS, _("Open access to one of our internal experts.")),
    (Give.Kind.RECOMMENDATION, _("Recommend them, their team or their product.")),
    (Give.Kind.NEWS_POINTER, _("Point them to news that matters to them.")),
]


def care_suggestions(*, relationships: list[ExplainedRelationship], ledger: Ledger) -> list[tuple[str, str]]:
    """The article's pay-forward ideas, offered when the person needs care: no warm
    relationship, or we have received more than we gave."""
    cold = not any(r.relationship.status == Relationship.Status.WARM for r in relationships)
    if cold or ledger.balance < 0:
        return CARE_IDEAS
    return []
