"""Requests from all sides and how the KAM triages them: logged by anyone on the team who sees
the account, accepted into the plan as an activity, or declined with a reason the requester
reads; a declined request is reopened before it can be accepted after all.

Same contract as planning.services; logging belongs to the team, deciding to whoever may
change the account (the KAM).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from kam.lib.history import records_actor
from kam.models import User
from kam.visibility import check_may_change_account, restrict_to_visible
from planning import notify
from planning.models import Notification, Request
from planning.services import activity_create, check_known_fields

REQUEST_FIELDS = ("title", "description", "source", "requested_by")


@records_actor
def request_log(*, actor: User, account: Account, **fields) -> Request:
    """Anyone on the team who sees the account logs what was asked; leadership only reads."""
    check_known_fields(fields, REQUEST_FIELDS)
    if actor.is_read_only:
        raise PermissionDenied(_("Sales leadership reads requests but does not log them."))
    if not restrict_to_visible(Account.objects.filter(pk=account.pk), actor).exists():
        raise PermissionDenied(_("You may not log requests for %(account)s.") % {"account": account.name})
    request = Request(account=account, logged_by=actor, **fields)
    request.full_clean()
    request.save()
    return request


@records_actor
def request_update(*, actor: User, request: Request, **fields) -> Request:
    check_known_fields(fields, REQUEST_FIELDS)
    if request.logged_by_id != actor.pk:
        check_may_change_account(actor, request.account)
    if request.status != Request.Status.NEW:
        raise ValidationError(_("This request was decided already; reopen it to change it."))
    for name, value in fields.items():
        setattr(request, name, value)
    request.full_clean()
    request.save()
    return request


@records_actor
def request_delete(*, actor: User, request: Request) -> None:
    check_may_change_account(actor, request.account)
    request.delete()


@records_actor
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


@records_actor
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


@records_actor
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
