"""The hand-off of an activity: one table of who may move it from which status to which.

The KAM (whoever may change the account) assigns, cancels and reopens; a task's answers
(accept, decline, start, complete) belong to its assignee alone — they do not report to the
KAM, so a decline is a normal answer. Every step locks the row, checks the table, applies its
side effects, records an ActivityEvent and tells whoever needs to know.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kam.lib.history import records_actor
from kam.models import User
from kam.visibility import check_may_change_account
from planning import notify
from planning.models import Activity, ActivityEvent, Notification

S = Activity.Status
Event = ActivityEvent.Kind


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


@records_actor
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


@records_actor
def activity_accept(*, actor: User, activity: Activity) -> Activity:
    return _transition(actor, activity, "accept")


@records_actor
def activity_decline(*, actor: User, activity: Activity, reason: str) -> Activity:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decline, so that the key account manager can plan around it.")})
    with transaction.atomic():
        activity = _transition(actor, activity, "decline", note=reason)
        _tell_manager(activity, Notification.Kind.DECLINED, actor, note=reason)
    return activity


@records_actor
def activity_start(*, actor: User, activity: Activity) -> Activity:
    return _transition(actor, activity, "start")


@records_actor
def activity_complete(*, actor: User, activity: Activity, note: str = "") -> Activity:
    with transaction.atomic():
        activity = _transition(actor, activity, "complete", note=note.strip())
        _tell_manager(activity, Notification.Kind.COMPLETED, actor, note=note.strip())
    return activity


@records_actor
def activity_cancel(*, actor: User, activity: Activity, note: str = "") -> Activity:
    return _transition(actor, activity, "cancel", note=note.strip())


@records_actor
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
        record_event(current, step.event, actor, from_status=previous, to_status=step.to, note=note, assignee=assignee)
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


def record_event(
    activity: Activity,
    kind: str,
    actor: User,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    assignee: User | None = None,
) -> None:
    """One line of the activity's history: who did what, from which status to which."""
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
