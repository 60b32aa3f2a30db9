"""The account page's "Recompute" button: queue the potential job for the node's group and
follow its progress (htmx polls the status while the job is queued or running)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.hierarchy import group_root_ids
from accounts.models import Account
from accounts.recompute import mark_stale
from accounts.recompute import recompute_status as group_status
from kam.visibility import may_change_account


@login_required
def recompute_status(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    return _status(request, account)


@login_required
@require_POST
def recompute(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    if not may_change_account(request.user, account.pk):
        raise PermissionDenied(_("You may read this account but not recompute it."))
    with transaction.atomic():
        # The outbox row and, after the commit, a worker woken (or the job run here when eager).
        mark_stale([account.pk])
    if request.htmx:
        return _status(request, account)
    messages.success(request, _("The figures of the group are being recomputed."))
    return redirect(account)


def _status(request: HttpRequest, account: Account) -> HttpResponse:
    group_id = group_root_ids([account.pk])[account.pk]
    group = account if group_id == account.pk else Account.objects.get(pk=group_id)
    context = {
        "account": account,
        "group": group,
        "status": group_status(group, user=request.user),
        "can_recompute": may_change_account(request.user, account.pk),
    }
    return render(request, "accounts/partials/recompute_status.html", context)
