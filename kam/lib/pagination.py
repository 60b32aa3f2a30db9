from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(request: HttpRequest, rows, per_page: int | None = None) -> Page:
    """The page of `rows` that `?page=` asks for, KAM_PAGE_SIZE rows to a page unless a list
    needs its own size; a number out of range or not a number gives the last or the first page."""
    return Paginator(rows, per_page or settings.KAM_PAGE_SIZE).get_page(request.GET.get("page"))
