"""The people sections of an account page, loaded lazily so the page itself stays fast: the org
chart, power map and coverage of the subtree, and the group-wide timeline of contacts."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.selectors import account_get
from kam.lib.pagination import page_of
from stakeholders import selectors
from stakeholders.charts import chart_rows, power_map_layout
from stakeholders.models import Stakeholder

# A chart with thousands of cards helps nobody; the rest is one click away in the people list.
ORG_CHART_LIMIT = 200
LIST_LIMIT = 50  # influence links and uncovered decision-makers
TIMELINE_PAGE_SIZE = 20


@login_required
def account_people(request: HttpRequest, account_pk: int) -> HttpResponse:
    account = account_get(user=request.user, pk=account_pk)
    people = selectors.subtree_people(user=request.user, account=account)
    rows = chart_rows(selectors.org_chart(people))
    links = selectors.influence_links_among(account=account, people=people)
    coverage = selectors.coverage(people=people, account=account)
    context = {
        "account": account,
        "people_count": len(people),
        "chart_rows": rows[:ORG_CHART_LIMIT],
        "hidden_rows": max(len(rows) - ORG_CHART_LIMIT, 0),
        "links": links[:LIST_LIMIT],
        "hidden_links": max(len(links) - LIST_LIMIT, 0),
        "power_map": power_map_layout(selectors.power_map(people)),
        "coverage": coverage,
        "uncovered": coverage.uncovered[:LIST_LIMIT],
        "hidden_uncovered": max(len(coverage.uncovered) - LIST_LIMIT, 0),
        "attitudes": Stakeholder.Attitude.choices,
        "heading": _("People at %(account)s") % {"account": account.name},
        "partial": "stakeholders/partials/account_people.html",
    }
    return _render_section(request, context)


@login_required
def account_timeline(request: HttpRequest, account_pk: int) -> HttpResponse:
    account = account_get(user=request.user, pk=account_pk)
    interactions = selectors.group_timeline(user=request.user, account=account)
    page = page_of(request, interactions, TIMELINE_PAGE_SIZE)
    context = {
        "account": account,
        "page": page,
        "heading": _("Contacts with %(account)s") % {"account": account.name},
        "partial": "stakeholders/partials/account_timeline.html",
    }
    if request.htmx and "page" in request.GET:
        # "Load more": only the rows, appended to the list already on the page.
        return render(request, "stakeholders/partials/account_timeline_rows.html", context)
    return _render_section(request, context)


def _render_section(request: HttpRequest, context: dict) -> HttpResponse:
    """The partial for htmx; for a plain request (no JavaScript) a small page around it."""
    if request.htmx:
        return render(request, context["partial"], context)
    return render(request, "stakeholders/account_section.html", {**context, "standalone": True})
