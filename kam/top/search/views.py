"""The palette's answers while typing (htmx) and the results page: every kind's best hits, or
one kind's ranked results with its filters, a page at a time."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kam.top.search import recent, selectors
from kam.top.search.actions import actions
from kam.top.search.forms import KindFilterForm, SearchForm
from kam.top.search.kinds import KINDS
from kam.top.search.normalize import parse

PAGE_SIZE = 20
PAGE_HITS = 5  # per kind on the results page of every kind


@login_required
def palette(request: HttpRequest) -> HttpResponse:
    """Top hits of each kind for `q`; without a usable `q`, the records opened lately. Both
    with the actions that fit."""
    form = SearchForm(request.GET)
    if form.is_valid():
        terms = form.terms
        groups = selectors.palette(user=request.user, terms=terms)
        opened = []
    else:
        terms = parse("")
        groups = []
        opened = selectors.hits(
            user=request.user, terms=terms, ids=[(*item, 0) for item in recent.recent_ids(request.user)]
        )
    people = next((group.hits for group in groups if group.kind.key == "stakeholder"), [])
    context = {
        "form": form,
        "q": request.GET.get("q", "").strip(),
        "terms": terms,
        "groups": groups,
        "opened": opened,
        "actions": actions(user=request.user, terms=terms, people=people),
    }
    return render(request, "search/partials/palette_results.html", context)


@login_required
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context = {"form": form, "kinds": KINDS}
    if form.is_valid():
        kind = form.cleaned_data["type"]
        context |= _kind_results(request, form, kind) if kind else _every_kind(request, form)
    template = "search/partials/results.html" if request.htmx else "search/results.html"
    return render(request, template, context, status=200 if form.is_valid() or not request.GET else 400)


def _every_kind(request: HttpRequest, form: SearchForm) -> dict:
    terms = form.terms
    return {"terms": terms, "groups": selectors.palette(user=request.user, terms=terms, per_kind=PAGE_HITS)}


def _kind_results(request: HttpRequest, form: SearchForm, kind: str) -> dict:
    terms = form.terms
    filter_form = KindFilterForm(request.GET, kind=KINDS[kind])
    ids = selectors.ranked_ids(user=request.user, terms=terms, kind=kind, filters=filter_form.filters())
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "terms": terms,
        "kind": KINDS[kind],
        "filter_form": filter_form,
        "page": page,
        "hits": selectors.hits(user=request.user, terms=terms, ids=list(page.object_list)),
        "bounded": len(ids) >= selectors.PAGE_DEPTH,
    }
