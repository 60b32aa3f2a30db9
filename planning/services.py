"""Writes for plans, objectives, activities and requests: the hand-off and triage workflows.

Same contract as accounts.services: every function takes the acting user; bad input raises
ValidationError with field errors and writes nothing; an account the actor may not change
raises PermissionDenied. Plans, objectives, triage and assignment belong to whoever may change
the account (the KAM); a task's answers (accept, decline, start, complete) belong to its
assignee alone — they do not report to the KAM, so a decline is a normal answer.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.hierarchy import SUBTREE_IDS_SQL, descends_from, group_root_ids
from accounts.models import Account
from kam.models import User
from kam.visibility import check_may_change_account, editable_account_ids, restrict_to_visible
from planning import notify
from planning.models import (
    AccountPlan,
    Activity,
    ActivityEvent,
    CalendarFeed,
    Capacity,
    Notification,
    Objective,
    Request,
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


def plan_create(*, actor: User, account: Account, **fields) -> AccountPlan:
    _known(fields, PLAN_FIELDS)
    check_may_change_account(actor, account)
    if not account.is_key_account:
        raise ValidationError(
            {"account": _("Plans are made for key accounts; %(account)s is none.") % {"account": account.name}}
        )
    plan = AccountPlan(account=account, created_by=actor, **fields)
    plan.full_clean(validate_constraints=False)
    return _save_unique(plan)


def plan_update(*, actor: User, plan: AccountPlan, **fields) -> AccountPlan:
    _known(fields, PLAN_FIELDS)
    check_may_change_account(actor, plan.account)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean(validate_constraints=False)
    return _save_unique(plan)


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


def objective_create(*, actor: User, plan: AccountPlan, **fields) -> Objective:
    _known(fields, OBJECTIVE_FIELDS)
    check_may_change_account(actor, plan.account)
    objective = Objective(plan=plan, **fields)
    _check_objective(objective)
    objective.save()
    return objective


def objective_update(*, actor: User, objective: Objective, **fields) -> Objective:
    _known(fields, OBJECTIVE_FIELDS)
    check_may_change_account(actor, objective.plan.account)
    for name, value in fields.items():
        setattr(objective, name, value)
    _check_objective(objective)
    objective.save()
    return objective


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


def activity_create(
    *, actor: User, stakeholders: list[Stakeholder] | None = None, assignee: User | None = None, **fields
) -> Activity:
    _known(fields, ACTIVITY_FIELDS)
    activity = Activity(created_by=actor, **fields)
    with transaction.atomic():
        _check_activity(actor, activity, stakeholders)
        activity.save()
        activity.stakeholders.set(stakeholders or [])
        _record(activity, Event.CREATED, actor, to_status=S.OPEN)
        if assignee is not None:
            activity = activity_assign(actor=actor, activity=activity, assignee=assignee)
    return activity


def activity_update(
    *, actor: User, activity: Activity, stakeholders: list[Stakeholder] | None = None, **fields
) -> Activity:
    """Change what the activity is about; its status and assignee change only through the
    workflow functions below."""
    _known(fields, ACTIVITY_FIELDS)
    check_may_change_account(actor, activity.account)
    for name, value in fields.items():
        setattr(activity, name, value)
    with transaction.atomic():
        _check_activity(actor, activity, stakeholders)
        activity.save()
        if stakeholders is not None:
            activity.stakeholders.set(stakeholders)
        _record(activity, Event.EDITED, actor)
    return activity


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


# --- the hand-off: one table of who may move an activity from where to where ---------------


@dataclass(frozen=True)
class Transition:
    allowed_from: tuple[str, ...]
    to: str
    event: str
    by_assignee: bool  # the task's holder answers; everything else is the KAM's


TRANSITIONS = {
    "assign": Transition((S.OPEN, S.ASSIGNED, S.DECLINED), S.ASSIGNED, Event.ASSIGNED, by_assignee=False),
    "accept": Transition((S.ASSIGNED,), S.ACCEPTED, Event.ACCEPTED, by_assignee=True),
    "decline": Transition((S.ASSIGNED, S.ACCEPTED), S.DECLINED, Event.DECLINED, by_assignee=True),
    "start": Transition((S.ACCEPTED,), S.IN_PROGRESS, Event.STARTED, by_assignee=True),
    "complete": Transition((S.ACCEPTED, S.IN_PROGRESS), S.DONE, Event.COMPLETED, by_assignee=True),
    "cancel": Transition(
        (S.OPEN, S.ASSIGNED, S.ACCEPTED, S.DECLINED, S.IN_PROGRESS), S.CANCELLED, Event.CANCELLED, by_assignee=False
    ),
    "reopen": Transition((S.DECLINED, S.DONE, S.CANCELLED), S.OPEN, Event.REOPENED, by_assignee=False),
}


def allowed_actions(*, actor: User, activity: Activity, can_manage: bool) -> list[str]:
    """The workflow steps `actor` may take on `activity` now (for the buttons of a page)."""
    holder = activity.assignee_id == actor.pk
    return [
        name
        for name, step in TRANSITIONS.items()
        if activity.status in step.allowed_from and (holder if step.by_assignee else can_manage)
    ]


def activity_assign(*, actor: User, activity: Activity, assignee: User) -> Activity:
    if not assignee.is_active:
        raise ValidationError(
            {"assignee": _("%(user)s can no longer log in; choose an active colleague.") % {"user": assignee}}
        )
    with transaction.atomic():
        activity = _transition(actor, activity, "assign", assignee=assignee)
        if assignee.pk == actor.pk:
            # Nobody needs to accept their own task.
            activity = _transition(actor, activity, "accept")
        else:
            notify.send(recipient=assignee, kind=Notification.Kind.ASSIGNED, actor=actor, activity=activity)
    return activity


def activity_accept(*, actor: User, activity: Activity) -> Activity:
    return _transition(actor, activity, "accept")


def activity_decline(*, actor: User, activity: Activity, reason: str) -> Activity:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decline, so that the key account manager can plan around it.")})
    with transaction.atomic():
        activity = _transition(actor, activity, "decline", note=reason)
        _tell_manager(activity, Notification.Kind.DECLINED, actor, note=reason)
    return activity


def activity_start(*, actor: User, activity: Activity) -> Activity:
    return _transition(actor, activity, "start")


def activity_complete(*, actor: User, activity: Activity, note: str = "") -> Activity:
    with transaction.atomic():
        activity = _transition(actor, activity, "complete", note=note.strip())
        _tell_manager(activity, Notification.Kind.COMPLETED, actor, note=note.strip())
    return activity


def activity_cancel(*, actor: User, activity: Activity, note: str = "") -> Activity:
    return _transition(actor, activity, "cancel", note=note.strip())


def activity_reopen(*, actor: User, activity: Activity) -> Activity:
    return _transition(actor, activity, "reopen")


def _transition(
    actor: User, activity: Activity, name: str, *, assignee: User | None = None, note: str = ""
) -> Activity:
    step = TRANSITIONS[name]
    with transaction.atomic():
        # Locked, so that two answers given at the same moment cannot both pass the check.
        current = (
            Activity.objects.select_for_update(of=("self",)).select_related("account", "assignee").get(pk=activity.pk)
        )
        _check_may(actor, current, step)
        if current.status not in step.allowed_from:
            raise ValidationError({"status": _refusal(name, current.status, step)})
        previous = current.status
        current.status = step.to
        _apply_side_effects(current, name, actor=actor, assignee=assignee, note=note)
        current.save()
        _record(current, step.event, actor, from_status=previous, to_status=step.to, note=note, assignee=assignee)
    return current


def _check_may(actor: User, activity: Activity, step: Transition) -> None:
    if step.by_assignee:
        if activity.assignee_id != actor.pk:
            raise PermissionDenied(_("Only the colleague who holds this task can answer it."))
    else:
        check_may_change_account(actor, activity.account)


def _apply_side_effects(activity: Activity, name: str, *, actor: User, assignee: User | None, note: str) -> None:
    if name == "assign":
        activity.assignee, activity.assigned_by, activity.decline_reason = assignee, actor, ""
    elif name == "decline":
        activity.decline_reason = note
    elif name == "complete":
        activity.completed_at = timezone.now()
    elif name == "reopen":
        activity.assignee, activity.completed_at = None, None


def _refusal(name: str, status: str, step: Transition) -> str:
    return _("An activity that is %(status)s cannot be %(action)s; that is possible when it is %(allowed)s.") % {
        "status": S(status).label,
        "action": ACTION_PARTICIPLES[name](),
        "allowed": ", ".join(str(S(s).label) for s in step.allowed_from),
    }


# Lazily translated so that the refusal reads in the user's language.
ACTION_PARTICIPLES = {
    "assign": lambda: _("assigned"),
    "accept": lambda: _("accepted"),
    "decline": lambda: _("declined"),
    "start": lambda: _("started"),
    "complete": lambda: _("completed"),
    "cancel": lambda: _("cancelled"),
    "reopen": lambda: _("reopened"),
}


def _record(
    activity: Activity,
    kind: str,
    actor: User,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    assignee: User | None = None,
) -> None:
    ActivityEvent.objects.create(
        activity=activity,
        kind=kind,
        actor=actor,
        assignee=assignee,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _tell_manager(activity: Activity, kind: str, actor: User, note: str = "") -> None:
    manager = activity.assigned_by or activity.created_by
    if manager is not None:
        notify.send(recipient=manager, kind=kind, actor=actor, activity=activity, note=note)


# --- requests and triage ------------------------------------------------------------------

REQUEST_FIELDS = ("title", "description", "source", "requested_by")


def request_log(*, actor: User, account: Account, **fields) -> Request:
    """Anyone on the team who sees the account logs what was asked; leadership only reads."""
    _known(fields, REQUEST_FIELDS)
    if actor.is_read_only:
        raise PermissionDenied(_("Sales leadership reads requests but does not log them."))
    if not restrict_to_visible(Account.objects.filter(pk=account.pk), actor).exists():
        raise PermissionDenied(_("You may not log requests for %(account)s.") % {"account": account.name})
    request = Request(account=account, logged_by=actor, **fields)
    request.full_clean()
    request.save()
    return request


def request_update(*, actor: User, request: Request, **fields) -> Request:
    _known(fields, REQUEST_FIELDS)
    if request.logged_by_id != actor.pk:
        check_may_change_account(actor, request.account)
    if request.status != Request.Status.NEW:
        raise ValidationError(_("This request was decided already; reopen it to change it."))
    for name, value in fields.items():
        setattr(request, name, value)
    request.full_clean()
    request.save()
    return request


def request_delete(*, actor: User, request: Request) -> None:
    check_may_change_account(actor, request.account)
    request.delete()


def request_accept(*, actor: User, request: Request, **activity_fields) -> Request:
    """Take the request into the plan: creates its activity and links the two."""
    check_may_change_account(actor, request.account)
    with transaction.atomic():
        current = _locked_new_request(
            request, refusal_if_declined=_("This request was declined; reopen it before accepting it.")
        )
        fields = {"account": current.account, "title": current.title, "description": _request_description(current)}
        fields.update({name: value for name, value in activity_fields.items() if value not in (None, "")})
        activity = activity_create(actor=actor, **fields)
        current.status, current.activity = Request.Status.ACCEPTED, activity
        current.decided_by, current.decided_at = actor, timezone.now()
        current.save()
        if current.logged_by_id and current.logged_by_id != actor.pk:
            notify.send(
                recipient=current.logged_by,
                kind=Notification.Kind.REQUEST_ACCEPTED,
                actor=actor,
                request=current,
                activity=activity,
            )
    return current


def request_decline(*, actor: User, request: Request, reason: str) -> Request:
    check_may_change_account(actor, request.account)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is declined: whoever asked will read it.")})
    with transaction.atomic():
        current = _locked_new_request(request, refusal_if_declined=_("This request is declined already."))
        current.status, current.decline_reason = Request.Status.DECLINED, reason
        current.decided_by, current.decided_at = actor, timezone.now()
        current.save()
        if current.logged_by_id and current.logged_by_id != actor.pk:
            notify.send(
                recipient=current.logged_by,
                kind=Notification.Kind.REQUEST_DECLINED,
                actor=actor,
                request=current,
                note=reason,
            )
    return current


def request_reopen(*, actor: User, request: Request) -> Request:
    """Put a declined request back into the queue: the only way to accept it after all."""
    check_may_change_account(actor, request.account)
    with transaction.atomic():
        current = Request.objects.select_for_update().get(pk=request.pk)
        if current.status != Request.Status.DECLINED:
            raise ValidationError({"status": _("Only a declined request can be reopened.")})
        current.status, current.decline_reason = Request.Status.NEW, ""
        current.decided_by, current.decided_at = None, None
        current.save()
    return current


def _locked_new_request(request: Request, *, refusal_if_declined: str) -> Request:
    current = Request.objects.select_for_update(of=("self",)).select_related("account", "logged_by").get(pk=request.pk)
    if current.status == Request.Status.DECLINED:
        raise ValidationError({"status": refusal_if_declined})
    if current.status == Request.Status.ACCEPTED:
        raise ValidationError({"status": _("This request is accepted already.")})
    return current


def _request_description(request: Request) -> str:
    origin = _("Requested by %(who)s (%(source)s).") % {
        "who": request.requested_by,
        "source": request.get_source_display(),
    }
    return f"{request.description}\n\n{origin}".strip()


# --- capacity, calendar, notifications ----------------------------------------------------


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


def _known(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
