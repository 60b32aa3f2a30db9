"""Reads of the hierarchy, always through the visibility rule."""

from dataclasses import dataclass

from django.db.models import Case, DateTimeField, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Lower
from django.http import Http404

from accounts.hierarchy import SUBTREE_WITH_ARCHIVED_IDS_SQL, ancestor_ids
from accounts.models import Account, AccountTeamMember, ProductLine
from kam.models import User
from kam.visibility import sees_whole_subtrees

# The account list's sort keys: what each orders by, and whether its header sorts biggest first
# on the first click (figures) rather than A–Z (names). Figures: each node's current snapshot.
ACCOUNT_SORTS: dict[str, tuple[tuple, bool]] = {
    "name": ((Lower("name"),), False),
    "kind": (("kind", Lower("name")), False),
    "country": (("country", Lower("name")), False),
    "city": ((Lower("city"), Lower("name")), False),
    "owner": ((Lower("owner__username"), Lower("name")), False),
    "revenue": ((F("revenue"),), True),
    "potential": ((F("potential"),), True),
    "health": ((F("health"),), True),
    "last_contact": ((F("last_contact_at"),), True),
}
DEFAULT_ACCOUNT_SORT = "name"


@dataclass(frozen=True)
class AccountFilters:
    q: str = ""
    kind: str = ""
    country: str = ""
    owner: int | None = None
    key_only: bool = False
    archived: bool = False
    sort: str = DEFAULT_ACCOUNT_SORT  # a key of ACCOUNT_SORTS, "-" first for the other direction


_SNAPSHOT = "current__snapshot__"


def with_snapshot_figures(accounts: QuerySet[Account], *, rollup: bool) -> QuerySet[Account]:
    """Each account with revenue, potential, relationship health and last contact from its
    current snapshot (None before the first one): over its subtree, or (`rollup=False`, for a
    colleague who sees single nodes) its own figures, without health and last contact."""
    scope = "rollup" if rollup else "own"
    figures = {
        "revenue": F(f"{_SNAPSHOT}{scope}_revenue"),
        "potential": F(f"{_SNAPSHOT}{scope}_potential"),
        "health": Value(None, output_field=FloatField()),
        "last_contact_at": Value(None, output_field=DateTimeField()),
    }
    if rollup:
        key, warm = F(f"{_SNAPSHOT}key_people"), F(f"{_SNAPSHOT}warm_key_people")
        figures["health"] = Case(When(**{f"{_SNAPSHOT}key_people__gt": 0}, then=Cast(warm, FloatField()) / key))
        figures["last_contact_at"] = F(f"{_SNAPSHOT}last_contact_at")
    return accounts.annotate(**figures)


def _ordering(sort: str) -> list:
    """ORDER BY for a sort key ("-" first: descending); figures missing (no snapshot) come last."""
    key = sort.lstrip("-")
    if key not in ACCOUNT_SORTS:
        key, sort = DEFAULT_ACCOUNT_SORT, DEFAULT_ACCOUNT_SORT
    columns = ACCOUNT_SORTS[key][0]
    first = columns[0] if hasattr(columns[0], "resolve_expression") else F(columns[0])
    first = first.desc(nulls_last=True) if sort.startswith("-") else first.asc(nulls_last=True)
    return [first, *columns[1:], "pk"]


def account_list(*, user: User, filters: AccountFilters = AccountFilters()) -> QuerySet[Account]:
    accounts = Account.objects.visible_to(user).select_related("owner", "parent")
    accounts = with_snapshot_figures(accounts, rollup=sees_whole_subtrees(user))
    accounts = accounts.filter(archived_at__isnull=not filters.archived)
    if filters.q:
        accounts = accounts.filter(Q(name__icontains=filters.q) | Q(city__icontains=filters.q))
    if filters.kind:
        accounts = accounts.filter(kind=filters.kind)
    if filters.country:
        accounts = accounts.filter(country=filters.country.upper())
    if filters.owner:
        accounts = accounts.filter(owner_id=filters.owner)
    if filters.key_only:
        accounts = accounts.filter(is_key_account=True)
    return accounts.order_by(*_ordering(filters.sort))


def account_get(*, user: User, pk: int) -> Account:
    """The account if `user` may see it; 404 otherwise, so hidden accounts stay unknown."""
    account = Account.objects.visible_to(user).select_related("owner", "parent").filter(pk=pk).first()
    if account is None:
        raise Http404("No such account.")
    return account


def key_accounts_overview(*, user: User) -> QuerySet[Account]:
    """The key accounts on a user's home: the ones they own or are on the team of, or for
    leadership and admins every key account. Regional colleagues see their assigned ones."""
    accounts = Account.objects.visible_to(user).active().key_accounts().select_related("owner")
    if user.role == User.Role.KAM:
        on_team = AccountTeamMember.objects.filter(user=user).values("account_id")
        accounts = accounts.filter(Q(owner=user) | Q(pk__in=on_team))
    return accounts.order_by("name", "pk")


def breadcrumbs(*, user: User, account: Account) -> list[Account]:
    """The visible ancestors of `account`, top first (the account itself excluded)."""
    ids = ancestor_ids(account.pk)[:-1]
    by_id = Account.objects.visible_to(user).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def parent_choices(*, user: User, exclude_subtree_of: Account | None = None) -> QuerySet[Account]:
    """Accounts `user` may put children under; a node's own subtree is left out for a move."""
    choices = Account.objects.editable_by(user).active().order_by("name")
    if exclude_subtree_of is not None:
        choices = choices.exclude(pk__in=RawSQL(SUBTREE_WITH_ARCHIVED_IDS_SQL, [exclude_subtree_of.pk]))
    return choices


def active_product_lines() -> QuerySet[ProductLine]:
    return ProductLine.objects.filter(is_active=True).order_by("code")
