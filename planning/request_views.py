"""Request intake and triage: anyone on the team logs what was asked; the KAM accepts it into
the plan (creating its activity) or declines it with a reason the requester reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kam.lib.forms import add_service_errors
from kam.lib.history_read import Source
from kam.lib.history_views import history_section
from kam.lib.pagination import page_of
from kam.visibility import may_change_account
from planning import selectors, triage
from planning.forms import AcceptRequestForm, DeclineForm, RequestForm, TriageFilterForm
from planning.models import Request


def _triaged_request(request: HttpRequest, pk: int) -> Request:
    item = selectors.request_get(user=request.user, pk=pk)
    if not may_change_account(request.user, item.account_id):
        raise PermissionDenied(_("Only the key account manager decides on this request."))
    return item


@login_required
def triage_queue(request: HttpRequest) -> HttpResponse:
    form = TriageFilterForm(request.GET)
    queue = selectors.triage_queue(user=request.user, filters=form.filters())
    page = page_of(request, queue)
    if request.htmx:
        return render(request, "planning/partials/triage_results.html", {"page": page, "form": form})
    counts = selectors.open_request_counts(user=request.user)
    return render(request, "planning/triage.html", {"form": form, "page": page, "counts": counts})


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    initial = {"account": int(request.GET["account"])} if request.GET.get("account", "").isdigit() else {}
    form = RequestForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = triage.request_log(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request was logged; the key account manager decides on it."))
            return redirect(item)
    return render(request, "planning/request_form.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, pk: int, accept_form=None, decline_form=None) -> HttpResponse:
    item = selectors.request_get(user=request.user, pk=pk)
    can_triage = may_change_account(request.user, item.account_id)
    context = {"item": item, "can_triage": can_triage}
    if can_triage and (item.status == Request.Status.NEW or accept_form or decline_form):
        context["accept_form"] = accept_form or AcceptRequestForm(user=request.user, request=item)
        context["decline_form"] = decline_form or DeclineForm()
    status = 400 if accept_form or decline_form else 200
    return render(request, "planning/request_detail.html", context, status=status)


@login_required
def request_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_get(user=request.user, pk=pk)
    return history_section(request, [Source(Request, Q(id=item.pk), named=False)])


@login_required
@require_POST
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    item = _triaged_request(request, pk)
    form = AcceptRequestForm(request.POST, user=request.user, request=item)
    if form.is_valid():
        try:
            item = triage.request_accept(actor=request.user, request=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Accepted: the request is an activity of the plan now."))
            return redirect(item.activity)
    return request_detail(request, pk, accept_form=form)


@login_required
@require_POST
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    item = _triaged_request(request, pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        triage.request_decline(actor=request.user, request=item, reason=reason)
    except ValidationError as error:
        add_service_errors(form, error)
        return request_detail(request, pk, decline_form=form)
    messages.success(request, _("Declined. Whoever logged the request reads your reason."))
    return redirect("planning:triage")


@login_required
@require_POST
def request_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    item = _triaged_request(request, pk)
    try:
        triage.request_reopen(actor=request.user, request=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is back in the triage queue."))
    return redirect(item)
