"""Writes for plans, objectives and activities, capacity, the calendar feed and notifications.

Same contract as accounts.services: every function takes the acting user; bad input raises
ValidationError with field errors and writes nothing; an account the actor may not change
raises PermissionDenied. Plans, objectives and activities belong to whoever may change the
account (the KAM). An activity's status and assignee change only through the hand-off in
planning.workflow; requests are logged and triaged in planning.triage.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.hierarchy import SUBTREE_IDS_SQL, descends_from, group_root_ids
from accounts.models import Account
from kam.lib.history import records_actor
from kam.models import User
from kam.visibility import check_may_change_account, editable_account_ids
from planning import workflow
from planning.models import (
    AccountPlan,
    Activity,
    ActivityEvent,
    CalendarFeed,
    Capacity,
    Notification,
    Objective,
    new_calendar_token,
)
from stakeholders.models import Stakeholder

S = Activity.Status
Event = ActivityEvent.Kind

PLAN_FIELDS = ("year", "title", "summary")
OBJECTIVE_FIELDS = ("title", "description", "metric", "product_line", "target_value", "current_value")
ACTIVITY_FIELDS = (
    "account",
    "plan",
    "objective",
    "title",
    "description",
    "due_on",
    "impact",
    "urgency",
    "effort_hours",
)


# --- plans and objectives -----------------------------------------------------------------


@records_actor
def plan_create(*, actor: User, account: Account, **fields) -> AccountPlan:
    check_known_fields(fields, PLAN_FIELDS)
    check_may_change_account(actor, account)
    if not account.is_key_account:
        raise ValidationError(
            {"account": _("Plans are made for key accounts; %(account)s is none.") % {"account": account.name}}
        )
    plan = AccountPlan(account=account, created_by=actor, **fields)
    plan.full_clean(validate_constraints=False)
    return _save_unique(plan)


@records_actor
def plan_update(*, actor: User, plan: AccountPlan, **fields) -> AccountPlan:
    check_known_fields(fields, PLAN_FIELDS)
    check_may_change_account(actor, plan.account)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean(validate_constraints=False)
    return _save_unique(plan)


@records_actor
def plan_delete(*, actor: User, plan: AccountPlan) -> None:
    check_may_change_account(actor, plan.account)
    if plan.activities.exists():
        raise ValidationError(_("This plan has activities: cancel or move them before deleting the plan."))
    plan.delete()


def _save_unique(plan: AccountPlan) -> AccountPlan:
    twins = AccountPlan.objects.filter(account_id=plan.account_id, year=plan.year).exclude(pk=plan.pk)
    if twins.exists():
        raise ValidationError({"year": _("This account already has a plan for this year.")})
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError({"year": _("This account already has a plan for this year.")}) from None
    return plan


@records_actor
def objective_create(*, actor: User, plan: AccountPlan, **fields) -> Objective:
    check_known_fields(fields, OBJECTIVE_FIELDS)
    check_may_change_account(actor, plan.account)
    objective = Objective(plan=plan, **fields)
    _check_objective(objective)
    objective.save()
    return objective


@records_actor
def objective_update(*, actor: User, objective: Objective, **fields) -> Objective:
    check_known_fields(fields, OBJECTIVE_FIELDS)
    check_may_change_account(actor, objective.plan.account)
    for name, value in fields.items():
        setattr(objective, name, value)
    _check_objective(objective)
    objective.save()
    return objective


@records_actor
def objective_delete(*, actor: User, objective: Objective) -> None:
    check_may_change_account(actor, objective.plan.account)
    objective.delete()


def _check_objective(objective: Objective) -> None:
    if objective.metric == Objective.Metric.REVENUE_PRODUCT_LINE and objective.product_line_id is None:
        raise ValidationError({"product_line": _("Choose the product line whose revenue counts.")})
    if objective.metric != Objective.Metric.REVENUE_PRODUCT_LINE:
        objective.product_line = None
    if objective.is_computed:
        objective.current_value = None  # the CRM fills it; a typed value would only mislead
    objective.full_clean()


# --- activities ---------------------------------------------------------------------------


@records_actor
def activity_create(
    *, actor: User, stakeholders: list[Stakeholder] | None = None, assignee: User | None = None, **fields
) -> Activity:
    check_known_fields(fields, ACTIVITY_FIELDS)
    activity = Activity(created_by=actor, **fields)
    with transaction.atomic():
        _check_activity(actor, activity, stakeholders)
        activity.save()
        activity.stakeholders.set(stakeholders or [])
        workflow.record_event(activity, Event.CREATED, actor, to_status=S.OPEN)
        if assignee is not None:
            activity = workflow.activity_assign(actor=actor, activity=activity, assignee=assignee)
    return activity


@records_actor
def activity_update(
    *, actor: User, activity: Activity, stakeholders: list[Stakeholder] | None = None, **fields
) -> Activity:
    """Change what the activity is about; its status and assignee change only through
    planning.workflow."""
    check_known_fields(fields, ACTIVITY_FIELDS)
    check_may_change_account(actor, activity.account)
    for name, value in fields.items():
        setattr(activity, name, value)
    with transaction.atomic():
        _check_activity(actor, activity, stakeholders)
        activity.save()
        if stakeholders is not None:
            activity.stakeholders.set(stakeholders)
        workflow.record_event(activity, Event.EDITED, actor)
    return activity


@records_actor
def activity_delete(*, actor: User, activity: Activity) -> None:
    check_may_change_account(actor, activity.account)
    if activity.is_held:
        raise ValidationError(
            _("%(assignee)s holds this task: cancel it instead, so they learn of it.") % {"assignee": activity.assignee}
        )
    activity.delete()


def _check_activity(actor: User, activity: Activity, stakeholders: list[Stakeholder] | None) -> None:
    check_may_change_account(actor, activity.account)
    errors = {}
    if activity.account.is_archived:
        errors["account"] = _("%(account)s is archived.") % {"account": activity.account.name}
    if activity.objective is not None:
        if activity.plan is None:
            activity.plan = activity.objective.plan
        elif activity.objective.plan_id != activity.plan_id:
            errors["objective"] = _("Choose an objective of the activity's plan.")
    if activity.plan is not None and not descends_from(activity.account_id, activity.plan.account_id):
        errors["account"] = _("%(account)s lies outside %(plan_account)s, the account of the plan.") % {
            "account": activity.account.name,
            "plan_account": activity.plan.account.name,
        }
    if errors:
        raise ValidationError(errors)
    if stakeholders:
        _check_people(activity, stakeholders)
    activity.full_clean(exclude=["stakeholders"])


def _check_people(activity: Activity, stakeholders: list[Stakeholder]) -> None:
    root = activity.plan.account_id if activity.plan else group_root_ids([activity.account_id])[activity.account_id]
    ids = {person.pk for person in stakeholders}
    inside = Stakeholder.objects.filter(pk__in=ids, account_id__in=RawSQL(SUBTREE_IDS_SQL, [root])).count()
    if inside != len(ids):
        raise ValidationError({"stakeholders": _("Choose people of this customer group only.")})


# --- capacity, calendar, notifications ----------------------------------------------------


@records_actor
def capacity_set(*, actor: User, user: User, hours_per_week: Decimal) -> Capacity:
    """Colleagues set their own hours; admins and the KAMs of an account team set them for the
    team's members."""
    if actor.pk != user.pk and not actor.writes_everything and not _manages_team_of(actor, user):
        raise PermissionDenied(_("You may set only your own capacity."))
    capacity = Capacity.objects.filter(user=user).first() or Capacity(user=user)
    capacity.hours_per_week = hours_per_week
    capacity.full_clean(validate_unique=False)
    capacity.save()
    return capacity


def _manages_team_of(actor: User, user: User) -> bool:
    if actor.role != User.Role.KAM:
        return False
    teams = Account.objects.filter(team__user=user) | Account.objects.filter(owner=user)
    teams = teams | Account.objects.filter(activities__assignee=user)
    return teams.filter(pk__in=editable_account_ids(actor)).exists()


def calendar_feed_for(user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, actor: User) -> CalendarFeed:
    """A new secret: the old feed URL stops working (e.g. after it was shared by mistake)."""
    feed = calendar_feed_for(actor)
    feed.token = new_calendar_token()
    feed.save(update_fields=["token"])
    return feed


def notifications_mark_read(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())


def check_known_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    """A programming error, not bad input: a caller passed a field this service does not set."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
