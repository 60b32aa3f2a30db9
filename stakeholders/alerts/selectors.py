"""Reading relationship alerts: the lists of the page and the API, the header's count, and
who may resolve one by hand."""

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.hierarchy import SUBTREE_IDS_SQL
from kam.models import User
from kam.visibility import editable_account_ids, restrict_to_editable, restrict_to_visible
from stakeholders.models import Alert


@dataclass(frozen=True)
class AlertFilters:
    mine: bool = True
    kind: str = ""
    account: int | None = None  # the node and everything below it
    status: str = "open"  # "open", "resolved" or "" for both


def default_scope_is_mine(user: User) -> bool:
    """KAMs and regional colleagues look at their own alerts first; leadership at everybody's."""
    return not user.reads_everything


def alert_list(*, user: User, filters: AlertFilters = AlertFilters()) -> QuerySet[Alert]:
    alerts = restrict_to_visible(Alert.objects.all(), user, "account").select_related(
        "stakeholder", "account", "user", "resolved_by"
    )
    if filters.mine:
        alerts = alerts.filter(user=user)
    if filters.kind:
        alerts = alerts.filter(kind=filters.kind)
    if filters.account:
        alerts = alerts.filter(account_id__in=RawSQL(SUBTREE_IDS_SQL, [filters.account]))
    if filters.status == "open":
        alerts = alerts.filter(resolved_at__isnull=True)
    elif filters.status == "resolved":
        alerts = alerts.filter(resolved_at__isnull=False)
    return alerts.order_by("-raised_at", "-pk")


def with_resolvable(alerts: QuerySet[Alert], user: User) -> QuerySet[Alert]:
    """Annotate `resolvable` (the rule of may_resolve) in the same query, for list pages."""
    editable = editable_account_ids(user)
    if editable is None:
        return alerts.annotate(resolvable=Value(True))
    return alerts.annotate(
        resolvable=Case(
            When(Q(user=user) | Q(account_id__in=editable), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def alert_get(*, user: User, pk: int) -> Alert:
    alert = alert_list(user=user, filters=AlertFilters(mine=False, status="")).filter(pk=pk).first()
    if alert is None:
        raise Http404(_("No such alert."))
    return alert


def open_alert_count(user: User) -> int:
    """The header's badge: the user's own open alerts."""
    if not user.is_authenticated:
        return 0
    return restrict_to_visible(Alert.objects.open().filter(user=user), user, "account").count()


def may_resolve(*, user: User, alert: Alert) -> bool:
    """The alert's addressee, and whoever may change the account (its KAMs, admins)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if alert.user_id == user.pk:
        return True
    return restrict_to_editable(Alert.objects.filter(pk=alert.pk), user, "account").exists()
