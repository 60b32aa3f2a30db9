"""The alert list (mine / everybody's) and resolving an alert by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from kam.lib import saved_views
from kam.lib.forms import add_service_errors
from kam.lib.pagination import page_of
from stakeholders.alerts import selectors, services
from stakeholders.alerts.forms import AlertFilterForm, ResolveForm


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    saved = saved_views.menu(request, "alerts")
    if opening := saved.opening():
        return opening
    form = AlertFilterForm(request.GET, user=request.user)
    rows = selectors.with_resolvable(selectors.alert_list(user=request.user, filters=form.filters()), request.user)
    page = page_of(request, rows)
    context = {"form": form, "page": page, "resolve_form": ResolveForm(), "here": request.get_full_path()}
    if request.htmx:
        return render(request, "stakeholders/alerts/partials/alert_results.html", context)
    saved.check(form)
    return render(request, "stakeholders/alerts/list.html", context | {"saved": saved})


@login_required
def alert_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get(user=request.user, pk=pk)
    if not selectors.may_resolve(user=request.user, alert=alert):
        raise PermissionDenied(_("Only the relationship owner or the account's KAM resolves this alert."))
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_resolve(actor=request.user, alert=alert, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The alert on %(person)s is resolved.") % {"person": alert.stakeholder})
            return redirect(_next_url(request))
    status = 400 if form.errors else 200
    return render(
        request,
        "stakeholders/alerts/resolve.html",
        {"alert": alert, "form": form, "next": _next_url(request)},
        status=status,
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("stakeholders:alerts")
