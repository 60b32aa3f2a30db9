"""Reads of the hierarchy, always through the visibility rule."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.http import Http404

from accounts.hierarchy import SUBTREE_WITH_ARCHIVED_IDS_SQL, ancestor_ids
from accounts.models import Account, AccountTeamMember, ProductLine
from kam.models import User


@dataclass(frozen=True)
class AccountFilters:
    q: str = ""
    kind: str = ""
    country: str = ""
    owner: int | None = None
    key_only: bool = False
    archived: bool = False


def account_list(*, user: User, filters: AccountFilters = AccountFilters()) -> QuerySet[Account]:
    accounts = Account.objects.visible_to(user).select_related("owner", "parent")
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
    return accounts.order_by(Lower("name"), "pk")


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
