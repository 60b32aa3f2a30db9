from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.exports import write_accounts_csv
from accounts.forms import AccountFilterForm, AccountForm, FiguresForm, MoveForm, TeamMemberForm, YearForm
from accounts.models import Account, AccountTeamMember, Potential, Revenue
from accounts.potential import TreeNode, subtree_figures, tree_rows
from accounts.trends import monthly_history, trend_charts
from accounts.whitespace import ORDERS, whitespace_grid
from kam.lib import saved_views
from kam.lib.forms import add_service_errors
from kam.lib.history_read import Source
from kam.lib.history_views import history_section
from kam.lib.pagination import page_of
from kam.lib.versions import save_unless_changed, version_of
from kam.visibility import can_create_groups, may_change_account, sees_whole_subtrees


def _editable_account(request: HttpRequest, pk: int) -> Account:
    """The account if the user may change it: 404 when hidden, 403 when only readable."""
    account = selectors.account_get(user=request.user, pk=pk)
    if not may_change_account(request.user, account.pk):
        raise PermissionDenied(_("You may read this account but not change it."))
    return account


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    saved = saved_views.menu(request, "accounts")
    if opening := saved.opening():
        return opening
    form = AccountFilterForm(request.GET)
    filters = form.filters()
    accounts = selectors.account_list(user=request.user, filters=filters)
    page = page_of(request, accounts)
    context = {
        "form": form,
        "page": page,
        "sort": filters.sort,
        "columns": [(key, numeric) for key, (_columns, numeric) in selectors.ACCOUNT_SORTS.items()],
        "rollup": sees_whole_subtrees(request.user),
        "can_create": can_create_groups(request.user),
    }
    if request.htmx:
        return render(request, "accounts/partials/account_results.html", context)
    saved.check(form)
    return render(request, "accounts/list.html", context | {"saved": saved})


@login_required
def account_export(request: HttpRequest) -> HttpResponse:
    """The filtered account list as CSV: the same rule and filters as the page, every row."""
    accounts = selectors.account_list(user=request.user, filters=AccountFilterForm(request.GET).filters())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="accounts.csv"'
    write_accounts_csv(response, accounts)
    return response


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    year = YearForm(request.GET).cleaned_year()
    tree = _visible_tree(request, account, year)
    lines = selectors.active_product_lines()
    whole = sees_whole_subtrees(request.user)
    history = monthly_history([account.pk]).get(account.pk, [])
    context = {
        "latest": history[-1] if history and whole else None,
        "trend_charts": trend_charts(history, rollup=whole),
        "account": account,
        "year": year,
        "year_form": YearForm(initial={"year": year}),
        "tree": tree,
        **tree_rows(tree),
        "line_rows": [(line, tree.lines[line.pk]) for line in lines if line.pk in tree.lines],
        "breadcrumbs": selectors.breadcrumbs(user=request.user, account=account),
        "team": account.team.select_related("user").order_by("role", "user__username"),
        "can_edit": may_change_account(request.user, account.pk),
        "team_form": TeamMemberForm(),
    }
    return render(request, "accounts/detail.html", context)


def _visible_tree(request: HttpRequest, account: Account, year: int) -> TreeNode:
    tree = subtree_figures(account.pk, year)
    return tree if sees_whole_subtrees(request.user) else tree.alone()


@login_required
def account_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The History section: the account, its team and its figures, newest first."""
    account = selectors.account_get(user=request.user, pk=pk)
    return history_section(
        request,
        [
            Source(Account, Q(id=account.pk), named=False),
            Source(AccountTeamMember, Q(account_id=account.pk), context=("user",)),
            Source(Revenue, Q(account_id=account.pk), context=("product_line", "year")),
            Source(Potential, Q(account_id=account.pk), context=("product_line", "year")),
        ],
    )


GRID_PAGE_SIZE = 30


@login_required
def account_whitespace(request: HttpRequest, pk: int) -> HttpResponse:
    """The whitespace grid of the account page (loaded after the page): nodes × product lines."""
    account = selectors.account_get(user=request.user, pk=pk)
    year = YearForm(request.GET).cleaned_year()
    order = request.GET.get("order") if request.GET.get("order") in ORDERS else "tree"
    lines = list(selectors.active_product_lines())
    rows = whitespace_grid(_visible_tree(request, account, year), lines, order=order)
    page = page_of(request, rows, GRID_PAGE_SIZE)
    context = {"account": account, "year": year, "lines": lines, "page": page, "order": order, "orders": ORDERS}
    return render(request, "accounts/partials/whitespace_grid.html", context)


@login_required
def account_tree_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """Rows below one node of the hierarchy table, fetched when a big tree is expanded."""
    account = selectors.account_get(user=request.user, pk=pk)
    year = YearForm(request.GET).cleaned_year()
    depth = int(request.GET["depth"]) if request.GET.get("depth", "").isdigit() else 0
    tree = _visible_tree(request, account, year)
    if request.GET.get("all") == "1":
        rows = tree_rows(tree, open_depth=None, eager=True)
    else:
        rows = tree_rows(tree, depth_offset=depth, open_depth=1)
        rows["tree_rows"] = rows["tree_rows"][1:]  # the node's own row is already on the page
    return render(request, "accounts/partials/hierarchy_rows.html", {"account": account, "year": year, **rows})


@login_required
def account_create(request: HttpRequest) -> HttpResponse:
    initial = {"kind": Account.Kind.GROUP}
    if request.GET.get("parent", "").isdigit():
        parent = selectors.account_get(user=request.user, pk=int(request.GET["parent"]))
        initial = {"parent": parent.pk, "kind": Account.Kind.SUBSIDIARY, "country": parent.country}
    form = AccountForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(account)s was created.") % {"account": account.name})
            return redirect("accounts:detail", pk=account.pk)
    return render(request, "accounts/form.html", {"form": form})


@login_required
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _editable_account(request, pk)
    form = AccountForm(request.POST or None, instance=account, user=request.user)
    version, conflict = version_of(account), None
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_unless_changed(
                account,
                opened=request.POST.get("version"),
                posted=form.cleaned_data,
                user=request.user,
                save=lambda: services.account_update(actor=request.user, account=account, **form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if conflict is None:
                messages.success(request, _("Changes to %(account)s were saved.") % {"account": account.name})
                return redirect("accounts:detail", pk=account.pk)
            version = conflict.version
    context = {"form": form, "account": account, "version": version, "conflict": conflict}
    return render(request, "accounts/form.html", context)


@login_required
def account_move(request: HttpRequest, pk: int) -> HttpResponse:
    account = _editable_account(request, pk)
    form = MoveForm(request.POST or None, user=request.user, account=account, initial={"parent": account.parent_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.account_move(actor=request.user, account=account, new_parent=form.cleaned_data["parent"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(account)s was moved.") % {"account": account.name})
            return redirect("accounts:detail", pk=account.pk)
    return render(request, "accounts/move.html", {"form": form, "account": account})


@login_required
def account_archive(request: HttpRequest, pk: int) -> HttpResponse:
    account = _editable_account(request, pk)
    if request.method == "POST":
        count = services.account_archive(actor=request.user, account=account)
        messages.success(request, _("%(count)s accounts were archived.") % {"count": count})
        return redirect("accounts:detail", pk=account.pk)
    return render(request, "accounts/archive.html", {"account": account})


@login_required
@require_POST
def account_restore(request: HttpRequest, pk: int) -> HttpResponse:
    account = _editable_account(request, pk)
    try:
        count = services.account_restore(actor=request.user, account=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s accounts were restored.") % {"count": count})
    return redirect("accounts:detail", pk=account.pk)


@login_required
def account_figures(request: HttpRequest, pk: int) -> HttpResponse:
    account = _editable_account(request, pk)
    year = YearForm(request.GET).cleaned_year()
    current = {("revenue", r.product_line_id): r for r in account.revenues.filter(year=year)}
    current |= {("potential", p.product_line_id): p for p in account.potentials.filter(year=year)}
    form = FiguresForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.figures_save(actor=request.user, account=account, year=year, rows=form.figure_rows())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Figures for %(year)s were saved.") % {"year": year})
            return redirect(f"{account.get_absolute_url()}?year={year}")
    context = {"form": form, "account": account, "year": year, "year_form": YearForm(initial={"year": year})}
    return render(request, "accounts/figures.html", context)


@login_required
@require_POST
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    account = _editable_account(request, pk)
    form = TeamMemberForm(request.POST)
    if form.is_valid():
        services.team_member_set(actor=request.user, account=account, **form.cleaned_data)
        messages.success(request, _("The account team was updated."))
    else:
        messages.error(request, _("Choose a colleague and a role."))
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def team_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    account = _editable_account(request, pk)
    member = get_object_or_404(AccountTeamMember, pk=member_pk, account=account)
    services.team_member_remove(actor=request.user, member=member)
    messages.success(request, _("%(user)s left the account team.") % {"user": member.user})
    return redirect("accounts:detail", pk=account.pk)
