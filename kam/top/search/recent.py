"""The records a user opened lately, for the palette: kept in the cache (no SQL), as (type, id)
pairs only, and read back through the visibility rule like any hit, so a record the user can
no longer see drops out of the list."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from kam.models import User

KEEP = 8
TIMEOUT = 60 * 60 * 24 * 30
# The detail pages that count as opening a record, by their URL's name.
DETAIL_PAGES = {
    "accounts:detail": "account",
    "stakeholders:detail": "stakeholder",
    "planning:plan_detail": "plan",
    "planning:activity_detail": "activity",
    "planning:request_detail": "request",
}


def _key(user: User) -> str:
    # With the moment the account was made: a new user who gets a deleted one's id starts afresh.
    return f"search:recent:{user.pk}:{user.date_joined.timestamp():.0f}"


def remember(user: User, kind: str, pk: int) -> None:
    opened = [(kind, pk), *(item for item in recent_ids(user) if item != (kind, pk))]
    cache.set(_key(user), opened[:KEEP], TIMEOUT)


def recent_ids(user: User) -> list[tuple[str, int]]:
    return [tuple(item) for item in cache.get(_key(user), [])]


class RecentRecordsMiddleware:
    """Notes each detail page a signed-in user opened (a full page answered 200)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            match is not None
            and response.status_code == 200
            and request.method == "GET"
            and not getattr(request, "htmx", False)
            and request.user.is_authenticated
            and match.view_name in DETAIL_PAGES
        ):
            remember(request.user, DETAIL_PAGES[match.view_name], int(match.kwargs["pk"]))
        return response
