"""The saved-views menu's buttons: save the list's current filters, share, make default, delete.
Each answers with the list again (the saved view chosen)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kam.lib import saved_views


@login_required
@require_POST
def view_save(request: HttpRequest) -> HttpResponse:
    list_key = request.POST.get("list_key", "")
    try:
        view = saved_views.view_save(
            actor=request.user,
            list_key=list_key,
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
            shared=request.POST.get("shared") == "on",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        back = reverse(saved_views.LISTS.get(list_key, "home"))
        return redirect(f"{back}?{saved_views.filters_query(request.POST.get('query', ''))}")
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(saved_views.list_url(view))


@login_required
@require_POST
def view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    view = saved_views.view_get(user=request.user, pk=pk)
    saved_views.view_delete(actor=request.user, view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect(f"{reverse(saved_views.LISTS[view.list_key])}?{view.query}")


@login_required
@require_POST
def view_share(request: HttpRequest, pk: int) -> HttpResponse:
    view = saved_views.view_get(user=request.user, pk=pk)
    saved_views.view_share(actor=request.user, view=view, shared=request.POST.get("shared") == "on")
    return redirect(saved_views.list_url(view))


@login_required
@require_POST
def view_default(request: HttpRequest, pk: int) -> HttpResponse:
    view = saved_views.view_get(user=request.user, pk=pk)
    default = request.POST.get("default") == "on"
    saved_views.view_make_default(actor=request.user, view=view, default=default)
    if default:
        messages.success(request, _("The list now opens with “%(name)s”.") % {"name": view.name})
    return redirect(saved_views.list_url(view))
