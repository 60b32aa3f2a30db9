"""The History section of a page: the entries of the page's record and what hangs on it, newest
first, a page at a time (fetched by htmx after the page has loaded, paged in place)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kam.lib.history_read import HistoryFeed, Source

HISTORY_PAGE_SIZE = 20


def history_section(request: HttpRequest, sources: list[Source]) -> HttpResponse:
    """Render the section for `sources`; the caller has checked that the user may see the record."""
    page = HistoryFeed(sources, user=request.user).page(request.GET.get("page"), HISTORY_PAGE_SIZE)
    return render(request, "includes/history.html", {"page": page, "url": request.path})
