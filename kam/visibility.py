"""Who may see and change which account: the one rule behind pages, API, exports and jobs.

- leadership and admins read every account; admins also write every account;
- a KAM reads and writes the whole subtree of every account they own or are on the team of;
- a regional colleague reads only the accounts assigned to them (see `_assigned_account_ids`).

Everything that belongs to an account (figures, people, plans) is visible exactly when its
account is: filter it with `restrict_to_visible(queryset, user, "account")`.
"""

from django.db import models
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from kam.models import User


def visible_account_ids(user: User) -> QuerySet | RawSQL | None:
    """A subquery of the account ids `user` may read, or None when they may read all."""
    if not user.is_authenticated or not user.is_active:
        return _no_accounts()
    if user.reads_everything:
        return None
    if user.role == User.Role.KAM:
        return _kam_scope(user)
    return _assigned_account_ids(user)


def editable_account_ids(user: User) -> QuerySet | RawSQL | None:
    """A subquery of the account ids `user` may change, or None when they may change all."""
    if not user.is_authenticated or not user.is_active:
        return _no_accounts()
    if user.writes_everything:
        return None
    if user.role == User.Role.KAM:
        return _kam_scope(user)
    return _no_accounts()


def restrict_to_visible(queryset: QuerySet, user: User, account_field: str = "pk") -> QuerySet:
    return _restrict(queryset, visible_account_ids(user), account_field)


def restrict_to_editable(queryset: QuerySet, user: User, account_field: str = "pk") -> QuerySet:
    return _restrict(queryset, editable_account_ids(user), account_field)


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
    return user.is_authenticated and user.is_active and (user.writes_everything or user.role == User.Role.KAM)


def _restrict(queryset: QuerySet, ids: QuerySet | RawSQL | None, account_field: str) -> QuerySet:
    if ids is None:
        return queryset
    return queryset.filter(**{f"{account_field}__in": ids})


def _kam_scope(user: User) -> RawSQL:
    from accounts.hierarchy import SUBTREE_OF_OWNED_OR_TEAM_SQL

    # The CTE itself, not wrapped in another subquery: PostgreSQL then plans it as one hashed set.
    return RawSQL(SUBTREE_OF_OWNED_OR_TEAM_SQL, [user.pk, user.pk])


def _assigned_account_ids(user: User) -> QuerySet:
    # Exactly the nodes where the user holds an open task (assigned, accepted, in progress):
    # not their parents, children or siblings; declining or finishing the task ends it.
    from planning.models import Activity

    return Activity.objects.filter(assignee_id=user.pk, status__in=Activity.ACTIVE_STATUSES).values("account_id")


def _no_accounts() -> QuerySet:
    from accounts.models import Account

    return Account.objects.none().values("pk")
