"""Lists that remember: a list's current filters and sort order saved under a name, picked from
a menu, shared read-only with the team, and one of them a user's default for the list.

A list view reads `menu(request, key)` first (one query; a user's default view applies when the
list is opened without any parameter: `menu.opening()`) and puts it in its context for
templates/includes/saved_views.html. A view is a query string: whatever the list's form
understands. A saved value that no longer exists (a deleted owner, an account gone or hidden)
is an error of that field of the form: the list ignores it, applies the rest and says so.
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from kam.models import DefaultView, SavedView, User

# The lists that remember, by key: the URL name of each.
LISTS = {
    "accounts": "accounts:list",
    "people": "stakeholders:list",
    "plans": "planning:plan_list",
    "alerts": "stakeholders:alerts",
    "portfolio": "home",
}
# Query parameters that are not filters: the page, the view being shown.
NOT_FILTERS = ("page", "view")
VIEW = "view"


def filters_query(params) -> str:
    """The filters and sort order of a query string (or QueryDict), in a stable order."""
    pairs = params.lists() if hasattr(params, "lists") else _grouped(parse_qsl(params, keep_blank_values=True))
    kept = sorted((key, value) for key, values in pairs if key not in NOT_FILTERS for value in values if value != "")
    return urlencode(kept)


def _grouped(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return list(grouped.items())


# --- reads --------------------------------------------------------------------------------


def visible_views(*, user: User, list_key: str) -> QuerySet[SavedView]:
    """A user's own views of a list and the ones colleagues shared."""
    return (
        SavedView.objects.filter(list_key=list_key)
        .filter(Q(owner=user) | Q(shared=True))
        .select_related("owner")
        .order_by("name", "pk")
    )


def view_get(*, user: User, pk: int) -> SavedView:
    """A view the user may read (own or shared); 404 otherwise."""
    found = SavedView.objects.filter(Q(owner=user) | Q(shared=True), pk=pk).select_related("owner").first()
    if found is None:
        raise Http404("No such view.")
    return found


def default_view(*, user: User, list_key: str) -> SavedView | None:
    found = (
        DefaultView.objects.filter(user=user, list_key=list_key)
        .filter(Q(view__owner=user) | Q(view__shared=True))
        .select_related("view")
        .first()
    )
    return found.view if found else None


# --- writes -------------------------------------------------------------------------------


def view_save(*, actor: User, list_key: str, name: str, query: str, shared: bool) -> SavedView:
    """Save a list's filters under a name; saving under a name the actor already uses for this
    list replaces that view's filters."""
    if list_key not in LISTS:
        raise ValidationError({"list_key": _("There is no such list.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    query = filters_query(query)
    try:
        with transaction.atomic():
            view, _created = SavedView.objects.update_or_create(
                owner=actor, list_key=list_key, name=name, defaults={"query": query, "shared": shared}
            )
    except IntegrityError:
        raise ValidationError({"name": _("You already have a view of this name here.")}) from None
    return view


def _own(actor: User, view: SavedView) -> None:
    if view.owner_id != actor.pk:
        raise PermissionDenied(_("Only its owner changes a view; shared views are read-only for the team."))


@transaction.atomic
def view_delete(*, actor: User, view: SavedView) -> None:
    _own(actor, view)
    view.delete()


@transaction.atomic
def view_share(*, actor: User, view: SavedView, shared: bool) -> SavedView:
    _own(actor, view)
    view.shared = shared
    view.save(update_fields=["shared", "updated_at"])
    if not shared:  # colleagues who opened with it open with their plain list again
        DefaultView.objects.filter(view=view).exclude(user=actor).delete()
    return view


@transaction.atomic
def view_make_default(*, actor: User, view: SavedView, default: bool = True) -> None:
    """Make `view` (own or shared) the actor's default for its list, or stop it being that."""
    if view.owner_id != actor.pk and not view.shared:
        raise PermissionDenied(_("This view is not shared."))
    if default:
        DefaultView.objects.update_or_create(user=actor, list_key=view.list_key, defaults={"view": view})
    else:
        DefaultView.objects.filter(user=actor, list_key=view.list_key, view=view).delete()


# --- the list's side ----------------------------------------------------------------------


def list_url(view: SavedView) -> str:
    query = f"{view.query}&" if view.query else ""
    return f"{reverse(LISTS[view.list_key])}?{query}{VIEW}={view.pk}"


@dataclass
class Menu:
    """The saved-views menu of a list, read in one query."""

    list_key: str
    query: str  # the list's current filters
    views: list[SavedView]  # each with `is_default`
    current: SavedView | None
    user_id: int
    bare: bool  # the list was asked for without any parameter
    stale: list[str] = field(default_factory=list)  # labels of filters whose saved value is gone

    @property
    def default(self) -> SavedView | None:
        return next((view for view in self.views if view.is_default), None)

    @property
    def default_id(self) -> int | None:
        return self.default.pk if self.default else None

    @property
    def changed(self) -> bool:
        """The filters differ from the current view's."""
        return self.current is not None and self.current.query != self.query

    def opening(self) -> HttpResponseRedirect | None:
        """To the user's default view, when the list is opened bare (`?view=0` is the plain list)."""
        return HttpResponseRedirect(list_url(self.default)) if self.bare and self.default else None

    def check(self, form: forms.Form) -> None:
        """Note the filters the list's form ignores (a saved value that no longer exists)."""
        self.stale = stale_filters(form)


def menu(request: HttpRequest, list_key: str) -> Menu:
    """The saved-views menu of a list. A list view starts with it: `if redirect :=
    menu.opening(): return redirect`, then `menu.check(form)` and the menu in its context."""
    is_default = DefaultView.objects.filter(user=request.user, list_key=list_key, view=OuterRef("pk"))
    views = list(visible_views(user=request.user, list_key=list_key).annotate(is_default=Exists(is_default)))
    chosen = request.GET.get(VIEW, "")
    return Menu(
        list_key=list_key,
        query=filters_query(request.GET),
        views=views,
        current=next((view for view in views if str(view.pk) == chosen), None),
        user_id=request.user.pk,
        bare=not request.GET and request.method == "GET" and not getattr(request, "htmx", False),
    )


def stale_filters(form: forms.Form) -> list[str]:
    """Labels of the filters the list ignores because their value is not (or no longer) valid."""
    if not form.is_bound:
        return []
    form.is_valid()
    return [str(form.fields[name].label) for name in form.errors if name in form.fields]
