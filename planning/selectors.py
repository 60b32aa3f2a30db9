"""Reads of plans, activities and requests, always through the visibility rule."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.hierarchy import SUBTREE_IDS_SQL, ancestor_ids
from accounts.models import Account
from kam.lib.history_read import Change, Entry
from kam.lib.numbers import round_ratio
from kam.models import User
from kam.visibility import restrict_to_editable
from planning import metrics, priority
from planning.models import (
    AccountPlan,
    Activity,
    ActivityEvent,
    Capacity,
    Notification,
    Objective,
    Request,
)
from planning.models.activities import open_activity, overdue_activity
from stakeholders.models import Stakeholder

S = Activity.Status


def subtree_of(account_id: int) -> RawSQL:
    return RawSQL(SUBTREE_IDS_SQL, [account_id])


def _with_context(activities: QuerySet[Activity], user: User) -> QuerySet[Activity]:
    """What a task row shows: the node, the plan and objective, who holds and who handed it
    over, and the people involved whom the reader may see."""
    return activities.select_related(
        "account", "plan", "objective", "assignee", "assigned_by", "request"
    ).prefetch_related(
        Prefetch("stakeholders", queryset=Stakeholder.objects.visible_to(user).order_by("last_name", "first_name"))
    )


def _by_priority(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.order_by("-priority_score", F("due_on").asc(nulls_last=True), "pk")


# --- plans --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanFilters:
    q: str = ""
    year: int | None = None
    account: int | None = None


def plan_list(*, user: User, filters: PlanFilters = PlanFilters()) -> QuerySet[AccountPlan]:
    plans = (
        AccountPlan.objects.visible_to(user)
        .select_related("account", "account__owner")
        .annotate(
            objective_count=Count("objectives", distinct=True),
            open_count=Count("activities", filter=open_activity("activities__"), distinct=True),
        )
    )
    if filters.q:
        plans = plans.filter(Q(title__icontains=filters.q) | Q(account__name__icontains=filters.q))
    if filters.year:
        plans = plans.filter(year=filters.year)
    if filters.account:
        plans = plans.filter(account_id=filters.account)
    return plans.order_by("-year", Lower("account__name"), "pk")


def plan_get(*, user: User, pk: int) -> AccountPlan:
    plan = AccountPlan.objects.visible_to(user).select_related("account", "account__owner").filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


def account_visible(*, user: User, account_id: int) -> bool:
    return Account.objects.visible_to(user).filter(pk=account_id).exists()


def objectives_of(plan: AccountPlan) -> list[Objective]:
    objectives = plan.objectives.select_related("plan", "product_line").order_by("pk")
    return metrics.attach_values(objectives)


def objective_get(*, user: User, pk: int) -> Objective:
    objective = Objective.objects.visible_to(user).select_related("plan", "plan__account").filter(pk=pk).first()
    if objective is None:
        raise Http404("No such objective.")
    return objective


def plans_above(*, user: User, account: Account) -> QuerySet[AccountPlan]:
    """Plans an activity on `account` may belong to: those of the account or an ancestor."""
    return (
        AccountPlan.objects.visible_to(user)
        .filter(account_id__in=ancestor_ids(account.pk))
        .select_related("account")
        .order_by("-year", "title")
    )


@dataclass(frozen=True)
class PlanProgress:
    """How far a plan has come: its objectives' mean progress (of those with a target) and its
    activities, done and overdue (cancelled ones do not count)."""

    plan: AccountPlan
    objectives: int = 0
    progress: Decimal | None = None
    activities: int = 0
    done: int = 0
    overdue: int = 0


def plan_progress(account_ids: list[int], year: int, *, current: dict | None = None) -> dict[int, PlanProgress]:
    """The `year` plan of each of these accounts that has one, with its progress. The caller
    has checked visibility of the accounts. Three queries plus one per computed metric that
    `current` (the accounts' current snapshots, see metrics.attach_values) does not hold."""
    plans = {plan.pk: plan for plan in AccountPlan.objects.filter(account_id__in=account_ids, year=year)}
    if not plans:
        return {}
    objectives = Objective.objects.filter(plan_id__in=plans).select_related("plan")
    objectives = metrics.attach_values(objectives, current=current)
    progress: dict[int, list[Decimal]] = {pk: [] for pk in plans}
    counts: dict[int, int] = dict.fromkeys(plans, 0)
    for objective in objectives:
        counts[objective.plan_id] += 1
        if objective.progress is not None:
            progress[objective.plan_id].append(objective.progress)
    today = timezone.localdate()
    stats = {
        row["plan_id"]: row
        for row in Activity.objects.filter(plan_id__in=plans)
        .exclude(status=S.CANCELLED)
        .values("plan_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=S.DONE)),
            overdue=Count("pk", filter=overdue_activity(today)),
        )
        .order_by()
    }
    result = {}
    for pk, plan in plans.items():
        row = stats.get(pk, {})
        mean = sum(progress[pk]) / len(progress[pk]) if progress[pk] else None
        result[plan.account_id] = PlanProgress(
            plan=plan,
            objectives=counts[pk],
            progress=None if mean is None else round_ratio(mean),
            activities=row.get("total", 0),
            done=row.get("done", 0),
            overdue=row.get("overdue", 0),
        )
    return result


@dataclass(frozen=True)
class AccountWork:
    """The account page's plan section: the plan this year's work on the node belongs to (its
    own, else the nearest ancestor's), and the open activities on the node and below."""

    plan: AccountPlan | None
    objectives: list[Objective]
    activities: list[Activity]
    open_count: int
    overdue_count: int
    done_count: int


ACCOUNT_WORK_SHOWN = 10


def account_work(*, user: User, account: Account, year: int) -> AccountWork:
    plans = {plan.account_id: plan for plan in plans_above(user=user, account=account).filter(year=year)}
    # ancestor_ids runs top-down: the nearest plan is the last one found.
    plan = next((plans[pk] for pk in reversed(ancestor_ids(account.pk)) if pk in plans), None)
    activities = Activity.objects.visible_to(user).filter(account_id__in=subtree_of(account.pk))
    today = timezone.localdate()
    counts = activities.aggregate(
        open_count=Count("pk", filter=open_activity()),
        overdue_count=Count("pk", filter=overdue_activity(today)),
        done_count=Count("pk", filter=Q(status=S.DONE, completed_at__year=year)),
    )
    shown = _by_priority(activities.open().select_related("account", "assignee", "objective"))
    return AccountWork(
        plan=plan,
        objectives=objectives_of(plan) if plan else [],
        activities=list(shown[:ACCOUNT_WORK_SHOWN]),
        **counts,
    )


# --- the plan board -------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    activity: Activity
    cumulative_hours: Decimal
    fits: bool


@dataclass(frozen=True)
class TeamMember:
    user: User
    hours_per_week: Decimal | None  # None: not set yet


@dataclass
class Board:
    rows: list[BoardRow]
    cut: int  # index of the first row below the capacity line
    weeks: int
    team: list[TeamMember]
    closed: list[Activity] = field(default_factory=list)

    @property
    def weekly_hours(self) -> Decimal:
        return sum((m.hours_per_week or Decimal(0) for m in self.team), Decimal(0))

    @property
    def capacity_hours(self) -> Decimal:
        return self.weekly_hours * self.weeks

    @property
    def planned_hours(self) -> Decimal:
        return self.rows[-1].cumulative_hours if self.rows else Decimal(0)

    @property
    def out_hours(self) -> Decimal:
        return sum((row.activity.effort_hours for row in self.rows[self.cut :]), Decimal(0))


BOARD_WEEKS = (1, 2, 4, 8, 13, 26, 52)


def plan_board(*, user: User, plan: AccountPlan, weeks: int = 4) -> Board:
    """The plan's activities still to do, by priority, with the team's capacity for the next
    `weeks` weeks and where it runs out; and the done or cancelled ones apart (constant
    number of queries whatever the number of activities)."""
    activities = list(_by_priority(_with_context(plan.activities.all(), user)))
    todo = [a for a in activities if a.is_open]
    team = plan_team(plan=plan, activities=todo)
    capacity = sum((m.hours_per_week or Decimal(0) for m in team), Decimal(0)) * weeks
    cut = priority.capacity_cut([a.effort_hours for a in todo], capacity)
    rows, total = [], Decimal(0)
    for index, activity in enumerate(todo):
        total += activity.effort_hours
        rows.append(BoardRow(activity, total, index < cut))
    closed = [a for a in activities if not a.is_open]
    return Board(rows=rows, cut=cut, weeks=weeks, team=team, closed=closed)


def plan_team(*, plan: AccountPlan, activities: list[Activity]) -> list[TeamMember]:
    """Who works for the plan: the key account's owner and team, and everyone holding one of
    its activities. Each brings their weekly hours (Capacity); two queries."""
    account = plan.account
    ids = set(account.team.values_list("user_id", flat=True))
    ids |= {a.assignee_id for a in activities if a.assignee_id and a.status != S.DECLINED}
    if account.owner_id:
        ids.add(account.owner_id)
    users = User.objects.filter(pk__in=ids, is_active=True).select_related("capacity").order_by("username")
    return [TeamMember(u, _capacity_of(u)) for u in users]


def _capacity_of(user: User) -> Decimal | None:
    try:
        return user.capacity.hours_per_week
    except Capacity.DoesNotExist:
        return None


# --- activities -----------------------------------------------------------------------------


def activity_get(*, user: User, pk: int) -> Activity:
    activity = _with_context(Activity.objects.visible_to(user), user).filter(pk=pk).first()
    if activity is None:
        raise Http404("No such activity.")
    return activity


def events_of(activity: Activity) -> QuerySet[ActivityEvent]:
    return activity.events.select_related("actor", "assignee").order_by("created_at", "pk")


@dataclass(frozen=True)
class TaskFilters:
    q: str = ""
    state: str = "open"  # open (assigned, accepted, in progress), done, all


def activity_history(activity: Activity) -> list[Entry]:
    """The activity's event log in the shape of every record's history (newest first): the
    hand-off steps as changes of status and assignee, with the note."""
    entries = []
    for event in activity.events.select_related("actor").order_by("-created_at", "-pk"):
        changes = []
        if event.from_status or event.to_status:
            changes.append(Change("status", str(_("status")), event.from_status or None, event.to_status or None))
        if event.assignee_id:
            changes.append(Change("assignee", str(_("assignee")), None, event.assignee_id))
        if event.note:
            changes.append(Change("note", str(_("note")), None, event.note))
        action = "created" if event.kind == ActivityEvent.Kind.CREATED else "changed"
        entries.append(
            Entry(
                at=event.created_at,
                user_id=event.actor_id,
                user=event.actor,
                action=action,
                model=Activity,
                object_id=activity.pk,
                changes=changes,
            )
        )
    return entries


def my_tasks(*, user: User, filters: TaskFilters = TaskFilters()) -> QuerySet[Activity]:
    tasks = _with_context(Activity.objects.filter(assignee=user), user)
    if filters.state == "open":
        tasks = tasks.held()
    elif filters.state == "done":
        tasks = tasks.exclude(status__in=Activity.HELD_STATUSES)
    if filters.q:
        tasks = tasks.filter(Q(title__icontains=filters.q) | Q(account__name__icontains=filters.q))
    return tasks.order_by(F("due_on").asc(nulls_last=True), "-priority_score", "pk")


def due_activities(*, user: User, days: int = 14, limit: int = 10) -> list[Activity]:
    """Open work on the accounts `user` manages, due within `days` or overdue: a KAM's home."""
    horizon = timezone.localdate() + timedelta(days=days)
    activities = (
        restrict_to_editable(Activity.objects.open(), user, "account")
        .filter(due_on__lte=horizon)
        .select_related("account", "assignee")
        .order_by("due_on", "-priority_score", "pk")
    )
    return list(activities[:limit])


def calendar_activities(user: User) -> QuerySet[Activity]:
    """The tasks in a user's calendar feed: the ones they hold, with a due date."""
    return (
        Activity.objects.held()
        .filter(assignee=user, due_on__isnull=False)
        .select_related("account", "plan")
        .order_by("due_on", "pk")
    )


# --- the orchestra view ---------------------------------------------------------------------

GROUPINGS = {"country": "account__country", "assignee": "assignee__username", "status": "status"}


@dataclass(frozen=True)
class OrchestraFilters:
    q: str = ""
    country: str = ""
    assignee: int | None = None
    status: str = ""
    overdue: bool = False
    group_by: str = "country"


def orchestra(*, user: User, account: Account, filters: OrchestraFilters = OrchestraFilters()) -> QuerySet[Activity]:
    """Every activity on `account` and below, for any plan, filtered (unsorted: see
    orchestra_rows and orchestra_summary)."""
    activities = Activity.objects.visible_to(user).filter(account_id__in=subtree_of(account.pk))
    if filters.q:
        activities = activities.filter(Q(title__icontains=filters.q) | Q(account__name__icontains=filters.q))
    if filters.country:
        activities = activities.filter(account__country=filters.country.upper())
    if filters.assignee:
        activities = activities.filter(assignee_id=filters.assignee)
    if filters.status:
        activities = activities.filter(status=filters.status)
    if filters.overdue:
        activities = activities.overdue()
    return activities


def orchestra_rows(activities: QuerySet[Activity], *, user: User, group_by: str) -> QuerySet[Activity]:
    """The rows of the orchestra view, sorted by the grouping key (country, assignee or status)."""
    key = GROUPINGS.get(group_by, GROUPINGS["country"])
    return _with_context(activities, user).order_by(
        F(key).asc(nulls_last=True), F("due_on").asc(nulls_last=True), "-priority_score", "pk"
    )


def orchestra_summary(activities: QuerySet[Activity], group_by: str) -> list[dict]:
    """Counts per group and status, and how many are overdue: one query."""
    key = GROUPINGS.get(group_by, GROUPINGS["country"])
    rows = (
        activities.order_by()
        .values(key)
        .annotate(
            total=Count("pk"),
            active=Count("pk", filter=Q(status__in=Activity.HELD_STATUSES)),
            waiting=Count("pk", filter=Q(status__in=[S.OPEN, S.DECLINED])),
            done=Count("pk", filter=Q(status=S.DONE)),
            overdue=Count("pk", filter=overdue_activity(timezone.localdate())),
        )
        .order_by(F(key).asc(nulls_last=True))
    )
    return [{"key": row.pop(key), **row} for row in rows]


# --- requests -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestFilters:
    q: str = ""
    status: str = "new"
    source: str = ""
    account: int | None = None


def triage_queue(*, user: User, filters: RequestFilters = RequestFilters()) -> QuerySet[Request]:
    requests = Request.objects.visible_to(user).select_related("account", "logged_by", "decided_by", "activity")
    if filters.status:
        requests = requests.filter(status=filters.status)
    if filters.source:
        requests = requests.filter(source=filters.source)
    if filters.account:
        requests = requests.filter(account_id__in=subtree_of(filters.account))
    if filters.q:
        requests = requests.filter(
            Q(title__icontains=filters.q) | Q(requested_by__icontains=filters.q) | Q(account__name__icontains=filters.q)
        )
    return requests.order_by("created_at", "pk") if filters.status == "new" else requests.order_by("-created_at", "-pk")


def open_request_counts(*, user: User, limit: int = 20) -> list[dict]:
    """Accounts with the most requests waiting for a decision: one query."""
    return list(
        Request.objects.visible_to(user)
        .filter(status=Request.Status.NEW)
        .values("account_id", "account__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "account__name")[:limit]
    )


def request_get(*, user: User, pk: int) -> Request:
    request = (
        Request.objects.visible_to(user)
        .select_related("account", "logged_by", "decided_by", "activity", "activity__assignee")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    return request


def requests_logged_by(user: User, limit: int = 10) -> list[Request]:
    return list(
        Request.objects.filter(logged_by=user).select_related("account", "decided_by").order_by("-created_at")[:limit]
    )


# --- notifications --------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def recent_notifications(user: User, limit: int = 10) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user)
        .select_related("actor", "activity", "activity__account", "request")
        .order_by("-created_at", "-pk")[:limit]
    )
