from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.trends import TREND_DAYS
from kam.lib import charts, saved_views
from kam.lib.pagination import page_of
from kam.models import User
from kam.templatetags.kam import money, percent
from kam.top import exports
from kam.top.forms import PortfolioFilterForm
from kam.top.portfolio import (
    QUADRANT_HEALTH,
    QUADRANTS,
    SORTS,
    TEXT_SORTS,
    Portfolio,
    PortfolioRow,
    portfolio,
    with_details,
)
from planning.selectors import due_activities
from planning.task_views import my_tasks


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each user's start: a regional colleague's task inbox; for everybody else the portfolio
    dashboard of the key accounts they review (a KAM: their own; leadership: all)."""
    user: User = request.user
    if user.role == User.Role.REGIONAL:
        return my_tasks(request)
    saved = saved_views.menu(request, "portfolio")
    if opening := saved.opening():
        return opening
    form = PortfolioFilterForm(request.GET)
    filters = form.filters()
    data = portfolio(user=user, filters=filters)
    page = page_of(request, data.rows)
    context = {
        "form": form,
        "filters": filters,
        "portfolio": data,
        "page": page,
        "rows": with_details(list(page.object_list)),
        "portfolio_columns": [(key, label, key not in TEXT_SORTS) for key, (label, _key) in SORTS.items()],
        "year": timezone.localdate().year,
        "trend_days": TREND_DAYS,
        **_segmentation(data),
    }
    if request.htmx:
        return render(request, "kam/partials/portfolio_results.html", context)
    context["due"] = due_activities(user=user) if user.role == User.Role.KAM else None  # None: no section
    saved.check(form)
    return render(request, "home.html", context | {"saved": saved})


def _segmentation(data: Portfolio) -> dict:
    """The segmentation chart of the portfolio and its legend."""
    chart = charts.segmentation(
        data.charted,
        health=lambda row: row.health,
        whitespace=lambda row: row.whitespace,
        revenue=lambda row: row.revenue,
        split_health=QUADRANT_HEALTH,
        split_whitespace=data.whitespace_median,
    )
    counts = data.quadrant_counts()
    account_url = reverse("accounts:detail", args=[0]).replace("/0/", "/{}/")  # once, not per dot
    return {
        "chart": chart,
        "chart_dots": chart.dots_svg(
            href=lambda row: account_url.format(row.id),
            css_class=lambda row: f"dot q-{row.quadrant}" + (" unknown" if row.health is None else ""),
            title=_dot_title(),
        ),
        "quadrants": [(key, *QUADRANTS[key], count) for key, count in counts.items()],
        "quadrant_boxes": [(box, QUADRANTS[box.key][0], counts[box.key]) for box in chart.quadrants],
    }


def _dot_title() -> Callable[[PortfolioRow], str]:
    """What hovering over a dot says; the labels translated once, not once per dot."""
    whitespace, health, revenue, currency = _("Whitespace"), _("Health"), _("Revenue"), settings.KAM_CURRENCY

    def title(row: PortfolioRow) -> str:
        return (
            f"{row.name} · {whitespace} {money(row.whitespace)} {currency} · {health} {percent(row.health)}"
            f" · {revenue} {money(row.revenue)}"
        )

    return title


@login_required
def portfolio_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The portfolio table with the page's filters and order, every row, as CSV or XLSX."""
    rows = with_details(portfolio(user=request.user, filters=PortfolioFilterForm(request.GET).filters()).rows)
    name = f"portfolio-{timezone.localdate().isoformat()}"
    if file_format == "xlsx":
        response = HttpResponse(
            exports.portfolio_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        exports.write_portfolio_csv(response, rows)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
