"""An activity: create and edit it on a plan, hand it to a colleague, and the colleague's
answers. Every step is a POST that calls one workflow service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kam.lib.forms import add_service_errors
from kam.visibility import may_change_account
from planning import selectors, services, workflow
from planning.forms import ActivityForm, AssignForm, DeclineForm, NoteForm
from planning.models import Activity
from planning.views import managed_plan
from stakeholders.models import Stakeholder

# The answers and steps that need nothing but a click (decline needs a reason: its own view).
STEPS = {
    "accept": workflow.activity_accept,
    "start": workflow.activity_start,
    "complete": workflow.activity_complete,
    "cancel": workflow.activity_cancel,
    "reopen": workflow.activity_reopen,
}
WITH_NOTE = {"complete", "cancel"}


def _managed_activity(request: HttpRequest, pk: int) -> Activity:
    activity = selectors.activity_get(user=request.user, pk=pk)
    if not may_change_account(request.user, activity.account_id):
        raise PermissionDenied(_("You may read this activity but not change it."))
    return activity


def _back(request: HttpRequest, activity: Activity) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(activity)


@login_required
def activity_detail(request: HttpRequest, pk: int, decline_form: DeclineForm | None = None) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    can_manage = may_change_account(request.user, activity.account_id)
    context = {
        "activity": activity,
        "events": selectors.events_of(activity),
        "actions": workflow.allowed_actions(actor=request.user, activity=activity, can_manage=can_manage),
        "can_manage": can_manage,
        "can_see_account": selectors.account_visible(user=request.user, account_id=activity.account_id),
        "assign_form": AssignForm(initial={"assignee": activity.assignee_id}),
        "decline_form": decline_form or DeclineForm(),
        "note_form": NoteForm(),
        "today": timezone.localdate(),
    }
    return render(request, "planning/activity_detail.html", context, status=400 if decline_form else 200)


@login_required
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = managed_plan(request, pk)
    form = ActivityForm(request.POST or None, user=request.user, plan=plan)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            activity = services.activity_create(
                actor=request.user, plan=plan, stakeholders=list(fields.pop("stakeholders")), **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity was added to the plan."))
            return redirect(activity)
    return render(request, "planning/activity_form.html", {"form": form, "plan": plan})


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _managed_activity(request, pk)
    plan = activity.plan
    if plan is None:
        messages.info(request, _("This activity belongs to no plan; change it through the API."))
        return redirect(activity)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user, plan=plan)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            services.activity_update(
                actor=request.user, activity=activity, stakeholders=list(fields.pop("stakeholders")), **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect(activity)
    return render(request, "planning/activity_form.html", {"form": form, "plan": plan, "activity": activity})


@login_required
def people_options(request: HttpRequest, pk: int) -> HttpResponse:
    """The <option>s of the people on one account of the plan, when the form's account changes."""
    plan = managed_plan(request, pk)
    account = request.GET.get("account", "")
    people = Stakeholder.objects.visible_to(request.user).filter(
        account_id=int(account) if account.isdigit() else 0,
        account_id__in=selectors.subtree_of(plan.account_id),
    )
    context = {"people": people.order_by("last_name")[:200]}
    return render(request, "planning/partials/activity_people_options.html", context)


@login_required
@require_POST
def activity_assign(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _managed_activity(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an active colleague."))
        return _back(request, activity)
    try:
        activity = workflow.activity_assign(
            actor=request.user, activity=activity, assignee=form.cleaned_data["assignee"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(user)s has the task now and was told.") % {"user": activity.assignee})
    return _back(request, activity)


@login_required
@require_POST
def activity_decline(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        workflow.activity_decline(actor=request.user, activity=activity, reason=reason)
    except ValidationError as error:
        add_service_errors(form, error)
        return activity_detail(request, pk, decline_form=form)
    messages.success(request, _("You declined the task; the key account manager reads your reason."))
    return _back(request, activity)


@login_required
@require_POST
def activity_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in STEPS:
        raise Http404("No such step.")
    activity = selectors.activity_get(user=request.user, pk=pk)
    step = STEPS[action]
    extra = {"note": request.POST.get("note", "")} if action in WITH_NOTE else {}
    try:
        activity = step(actor=request.user, activity=activity, **extra)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, STEP_MESSAGES[action]())
    return _back(request, activity)


STEP_MESSAGES = {
    "accept": lambda: _("You accepted the task."),
    "start": lambda: _("The task is in progress."),
    "complete": lambda: _("Done. The key account manager was told."),
    "cancel": lambda: _("The activity was cancelled."),
    "reopen": lambda: _("The activity is open again."),
}
