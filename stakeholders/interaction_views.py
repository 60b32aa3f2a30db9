"""Logging contacts: the quick-log (the product's most used screen), the people type-ahead,
and editing or deleting a logged contact."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import account_get
from kam.lib.forms import add_service_errors
from kam.lib.history_read import Source
from kam.lib.history_views import history_section
from kam.lib.versions import save_unless_changed, version_of
from stakeholders import selectors, services
from stakeholders.interaction_forms import InteractionForm
from stakeholders.models import Interaction


@login_required
def quick_log(request: HttpRequest, account_pk: int) -> HttpResponse:
    account = account_get(user=request.user, pk=account_pk)
    person = _preselected_person(request)
    initial = {"stakeholders": [person]} if person else {}
    form = InteractionForm(request.POST or None, user=request.user, initial=initial)
    logged = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            logged = services.interaction_log(
                actor=request.user,
                account=account,
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                summary=data["summary"],
                sentiment=data["sentiment"],
                stakeholders=list(data["stakeholders"]),
                colleagues=list(data["colleagues"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if logged and not request.htmx:
        messages.success(request, _("Contact logged."))
        return redirect(_next_url(request, account.get_absolute_url()))
    if logged:
        form = InteractionForm(user=request.user, initial=initial)
        logged = selectors.interaction_get(user=request.user, pk=logged.pk)
    next_url = _next_url(request, person.get_absolute_url() if person else account.get_absolute_url())
    context = {
        "form": form,
        "account": account,
        "stakeholder": person,
        "logged": logged,
        "next_url": next_url,
        "autofocus": True,  # on its own page, and for the next contact after one was logged
    }
    if request.htmx:
        return render(request, "stakeholders/partials/quick_log_form.html", context)
    return render(request, "stakeholders/quick_log_page.html", context, status=400 if form.errors else 200)


@login_required
def people_search(request: HttpRequest, account_pk: int) -> HttpResponse:
    """Options for the quick-log's type-ahead: people of the account's whole group."""
    account = account_get(user=request.user, pk=account_pk)
    chosen = {int(pk) for pk in request.GET.getlist("stakeholders") if pk.isdigit()}
    people = selectors.group_people(
        user=request.user, account=account, q=request.GET.get("q", ""), limit=8 + len(chosen)
    )
    people = [p for p in people if p.pk not in chosen][:8]
    context = {"people": people, "account": account, "q": request.GET.get("q", "")}
    return render(request, "stakeholders/partials/quick_log_people_matches.html", context)


@login_required
def interaction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = selectors.interaction_get(user=request.user, pk=pk)
    initial = {
        "stakeholders": list(interaction.stakeholders.all()),
        "colleagues": [c.pk for c in interaction.colleagues.all()],
        "occurred_at": interaction.occurred_at,
    }
    form = InteractionForm(
        request.POST or None,
        user=request.user,
        people=selectors.group_people_queryset(user=request.user, account=interaction.account),
        initial={
            **initial,
            "kind": interaction.kind,
            "summary": interaction.summary,
            "sentiment": interaction.sentiment,
        },
    )
    version, conflict = version_of(interaction), None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        people, colleagues = list(data.pop("stakeholders")), list(data.pop("colleagues")) or None
        try:
            conflict = save_unless_changed(
                interaction,
                opened=request.POST.get("version"),
                posted=form.cleaned_data,
                user=request.user,
                save=lambda: services.interaction_update(
                    actor=request.user, interaction=interaction, stakeholders=people, colleagues=colleagues, **data
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if conflict is None:
                messages.success(request, _("Contact saved."))
                return redirect(_next_url(request, interaction.account.get_absolute_url()))
            version = conflict.version
    context = {"form": form, "interaction": interaction, "version": version, "conflict": conflict}
    return render(request, "stakeholders/interaction_form.html", context)


@login_required
@require_POST
def interaction_delete(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = selectors.interaction_get(user=request.user, pk=pk)
    services.interaction_delete(actor=request.user, interaction=interaction)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("The contact was moved to the trash."))
    return redirect(_next_url(request, interaction.account.get_absolute_url()))


@login_required
def interaction_history(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = selectors.interaction_get(user=request.user, pk=pk)
    return history_section(request, [Source(Interaction, Q(id=interaction.pk), named=False)])


def _preselected_person(request: HttpRequest):
    pk = request.GET.get("stakeholder") or request.POST.get("for_stakeholder")
    if pk and str(pk).isdigit():
        return selectors.stakeholder_get(user=request.user, pk=int(pk))
    return None


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default
