"""Plan pages: the list, a plan with its objectives and the prioritised board, the
orchestra view of a group. Activities, tasks and requests have their own modules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import account_get
from kam.lib import saved_views
from kam.lib.forms import add_service_errors
from kam.lib.history_read import Source
from kam.lib.history_views import history_section
from kam.lib.pagination import page_of
from kam.lib.versions import save_unless_changed, version_of
from kam.visibility import may_change_account
from planning import selectors, services
from planning.forms import (
    DEFAULT_WEEKS,
    BoardForm,
    ObjectiveForm,
    OrchestraFilterForm,
    PlanFilterForm,
    PlanForm,
    TeamCapacityForm,
)
from planning.models import AccountPlan, Objective

# The orchestra view lists every activity of a group: a longer page than other lists.
ORCHESTRA_PAGE_SIZE = 50


def managed_plan(request: HttpRequest, pk: int) -> AccountPlan:
    """The plan if the user may change it: 404 when hidden, 403 when only readable."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not may_change_account(request.user, plan.account_id):
        raise PermissionDenied(_("You may read this plan but not change it."))
    return plan


def _managed_objective(request: HttpRequest, pk: int) -> Objective:
    objective = selectors.objective_get(user=request.user, pk=pk)
    managed_plan(request, objective.plan_id)
    return objective


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    saved = saved_views.menu(request, "plans")
    if opening := saved.opening():
        return opening
    form = PlanFilterForm(request.GET)
    page = page_of(request, selectors.plan_list(user=request.user, filters=form.filters()))
    if request.htmx:
        return render(request, "planning/partials/plan_results.html", {"form": form, "page": page})
    saved.check(form)
    return render(request, "planning/plan_list.html", {"form": form, "page": page, "saved": saved})


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    initial = {"account": request.GET["account"]} if request.GET.get("account", "").isdigit() else {}
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan was created. Add its objectives."))
            return redirect(plan)
    return render(request, "planning/plan_form.html", {"form": form})


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = managed_plan(request, pk)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    version, conflict = version_of(plan), None
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_unless_changed(
                plan,
                opened=request.POST.get("version"),
                posted=form.cleaned_data,
                user=request.user,
                save=lambda: services.plan_update(actor=request.user, plan=plan, **form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if conflict is None:
                messages.success(request, _("The plan was saved."))
                return redirect(plan)
            version = conflict.version
    context = {"form": form, "plan": plan, "version": version, "conflict": conflict}
    return render(request, "planning/plan_form.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    board_form = BoardForm(request.GET if "weeks" in request.GET else None, initial={"weeks": DEFAULT_WEEKS})
    board = selectors.plan_board(user=request.user, plan=plan, weeks=board_form.weeks_or_default())
    context = {
        "plan": plan,
        "objectives": selectors.objectives_of(plan),
        "board": board,
        "board_form": board_form,
        "can_manage": may_change_account(request.user, plan.account_id),
        "today": timezone.localdate(),
    }
    template = "planning/partials/plan_board.html" if request.htmx else "planning/plan_detail.html"
    return render(request, template, context)


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The History section: the plan and its objectives."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    return history_section(
        request,
        [Source(AccountPlan, Q(id=plan.pk), named=False), Source(Objective, Q(plan_id=plan.pk), context=("title",))],
    )


@login_required
@require_POST
def plan_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    """The KAM sets a team member's weekly hours right on the board."""
    plan = managed_plan(request, pk)
    form = TeamCapacityForm(request.POST)
    if form.is_valid():
        services.capacity_set(
            actor=request.user, user=form.cleaned_data["user"], hours_per_week=form.cleaned_data["hours_per_week"]
        )
        messages.success(request, _("Capacity saved."))
    else:
        messages.error(request, _("Hours per week lie between 0 and 80."))
    return redirect(f"{plan.get_absolute_url()}?weeks={request.POST.get('weeks', 4)}#board")


@login_required
def objective_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = managed_plan(request, pk)
    return _objective_form(request, plan, Objective(plan=plan))


@login_required
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _managed_objective(request, pk)
    return _objective_form(request, objective.plan, objective)


def _objective_form(request: HttpRequest, plan: AccountPlan, objective: Objective) -> HttpResponse:
    form = ObjectiveForm(request.POST or None, instance=objective)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.OBJECTIVE_FIELDS}
        try:
            if objective.pk:
                services.objective_update(actor=request.user, objective=objective, **fields)
            else:
                services.objective_create(actor=request.user, plan=plan, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The objective was saved."))
            return redirect(plan)
    return render(request, "planning/objective_form.html", {"form": form, "plan": plan, "objective": objective})


@login_required
@require_POST
def objective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _managed_objective(request, pk)
    services.objective_delete(actor=request.user, objective=objective)
    messages.success(request, _("The objective “%(title)s” was deleted.") % {"title": objective.title})
    return redirect(objective.plan)


@login_required
def orchestra(request: HttpRequest, account_pk: int) -> HttpResponse:
    """Who in which country does what for the group: every activity below the account."""
    account = account_get(user=request.user, pk=account_pk)
    form = OrchestraFilterForm(request.GET)
    filters = form.filters()
    activities = selectors.orchestra(user=request.user, account=account, filters=filters)
    rows = selectors.orchestra_rows(activities, user=request.user, group_by=filters.group_by)
    context = {
        "account": account,
        "form": form,
        "group_by": filters.group_by,
        "summary": selectors.orchestra_summary(activities, filters.group_by),
        "page": page_of(request, rows, ORCHESTRA_PAGE_SIZE),
        "today": timezone.localdate(),
    }
    template = "planning/partials/orchestra_results.html" if request.htmx else "planning/orchestra.html"
    return render(request, template, context)


@login_required
def account_plan(request: HttpRequest, account_pk: int) -> HttpResponse:
    """The plan section of an account page (loaded after the page): this year's plan, its
    objectives, and the open work on the node and below by priority."""
    account = account_get(user=request.user, pk=account_pk)
    year = timezone.localdate().year
    context = {
        "account": account,
        "year": year,
        "work": selectors.account_work(user=request.user, account=account, year=year),
        "can_manage": may_change_account(request.user, account.pk),
    }
    return render(request, "planning/partials/account_plan.html", context)
