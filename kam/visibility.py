"""Who may see and change which account: the one rule behind pages, API, exports and jobs.

- leadership and admins read every account; admins also write every account;
- every other role reaches the accounts that the scopes named for it in the settings
  (`KAM_READ_SCOPES`, `KAM_WRITE_SCOPES`) give it: a KAM the whole subtree of every account they
  own or are on the team of (accounts.scopes), a regional colleague exactly the nodes where they
  hold an open task (planning.scopes).

The scopes are named in settings, the way Django names its AUTHENTICATION_BACKENDS, so that this
base module knows the rule without importing the apps that supply its parts.

Everything that belongs to an account (figures, people, plans) is visible exactly when its
account is: filter it with `restrict_to_visible(queryset, user, "account")`.
"""

from collections.abc import Callable
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kam.models import User

# A scope: the user → a subquery of account ids they reach (or None: none through this scope).
Scope = Callable[[User], QuerySet | RawSQL | None]


def visible_account_ids(user: User) -> QuerySet | RawSQL | None:
    """A subquery of the account ids `user` may read, or None when they may read all."""
    if not user.is_authenticated or not user.is_active:
        return _accounts().none().values("pk")
    if user.reads_everything:
        return None
    return _reached(user, settings.KAM_READ_SCOPES)


def editable_account_ids(user: User) -> QuerySet | RawSQL | None:
    """A subquery of the account ids `user` may change, or None when they may change all."""
    if not user.is_authenticated or not user.is_active:
        return _accounts().none().values("pk")
    if user.writes_everything:
        return None
    return _reached(user, settings.KAM_WRITE_SCOPES)


def restrict_to_visible(queryset: QuerySet, user: User, account_field: str = "pk") -> QuerySet:
    return _restrict(queryset, visible_account_ids(user), account_field)


def restrict_to_editable(queryset: QuerySet, user: User, account_field: str = "pk") -> QuerySet:
    return _restrict(queryset, editable_account_ids(user), account_field)


def visible_account_id_list(user: User) -> list[int] | None:
    """The ids of `visible_account_ids` read once (one query), None when the user may read all:
    for a request that restricts many queries to the same user's accounts (search), so that
    PostgreSQL plans each of them knowing how many accounts that is."""
    ids = visible_account_ids(user)
    if ids is None:
        return None
    if isinstance(ids, RawSQL):
        with connection.cursor() as cursor:
            cursor.execute(ids.sql, ids.params)
            return [row[0] for row in cursor.fetchall()]
    return [next(iter(row.values())) for row in ids]


def restrict_to_account_ids(queryset: QuerySet, ids: list[int] | None, account_field: str = "pk") -> QuerySet:
    """`restrict_to_visible` with the ids of `visible_account_id_list`."""
    return queryset if ids is None else queryset.filter(in_account_ids(ids, account_field))


def in_account_ids(ids: list[int], account_field: str = "pk") -> models.Q:
    """Whether the account at `account_field` is one of `ids` (of `visible_account_id_list`)."""
    if connection.vendor == "postgresql":
        return models.Q(_AnyOf(models.F(account_field), ids=ids))
    return models.Q(**{f"{account_field}__in": ids})


class _AnyOf(models.Func):
    """`field = ANY('{1,2,…}'::bigint[])`: thousands of ids as one literal, quick to send and to
    plan, where an IN list would be thousands of parameters."""

    output_field = models.BooleanField()

    def __init__(self, expression, *, ids: list[int]) -> None:
        super().__init__(expression)
        self.ids = ids

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} = ANY(%s::bigint[])", [*params, "{" + ",".join(str(int(pk)) for pk in self.ids) + "}"]


def sees_whole_subtrees(user: User) -> bool:
    """Whether every account below a visible one is visible too. Not so for a regional
    colleague, who sees single assigned nodes: their children and roll-ups stay hidden."""
    return user.is_authenticated and (user.reads_everything or user.role == User.Role.KAM)


class VisibleThroughAccountQuerySet(models.QuerySet):
    """Rows that belong to an account are visible exactly when their account is; subclasses
    name the path to it in `account_field`."""

    account_field = "account"

    def visible_to(self, user) -> "VisibleThroughAccountQuerySet":
        return restrict_to_visible(self, user, self.account_field)

    def editable_by(self, user) -> "VisibleThroughAccountQuerySet":
        return restrict_to_editable(self, user, self.account_field)


def can_create_groups(user: User) -> bool:
    return user.is_authenticated and user.manages_accounts


def may_see_account(user: User, account_id: int) -> bool:
    """Whether `user` may read the account: one query at most. Also who may be named on a
    record of it (a contact's colleagues, a give's colleague)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.reads_everything:
        return True
    return restrict_to_visible(_accounts().filter(pk=account_id), user).exists()


def may_change_account(user: User, account_id: int) -> bool:
    """Whether `user` may change the account (and what belongs to it): one query at most."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.writes_everything:
        return True
    return restrict_to_editable(_accounts().filter(pk=account_id), user).exists()


def check_may_change_account(user: User, account) -> None:
    """Refuse (403) unless `user` may change `account`: what every service calls first."""
    if not may_change_account(user, account.pk):
        raise PermissionDenied(_("You may not change %(account)s.") % {"account": account.name})


def _restrict(queryset: QuerySet, ids: QuerySet | RawSQL | None, account_field: str) -> QuerySet:
    if ids is None:
        return queryset
    return queryset.filter(**{f"{account_field}__in": ids})


def _reached(user: User, scopes_by_role: dict[str, list[str]]) -> QuerySet | RawSQL:
    """The accounts the role's scopes give `user`: one subquery, or the union of several."""
    reached = [ids for scope in _scopes(tuple(scopes_by_role.get(user.role, ()))) if (ids := scope(user)) is not None]
    if not reached:
        return _accounts().none().values("pk")
    if len(reached) == 1:
        return reached[0]
    anywhere = Q()
    for ids in reached:
        anywhere |= Q(pk__in=ids)
    return _accounts().filter(anywhere).values("pk")


@cache
def _scopes(paths: tuple[str, ...]) -> list[Scope]:
    return [import_string(path) for path in paths]


def _accounts() -> QuerySet:
    # By name from the settings (like AUTH_USER_MODEL): the base does not import the accounts app.
    return apps.get_model(settings.KAM_ACCOUNT_MODEL)._base_manager.all()
