"""The people pages: the list, a stakeholder's page with its politics, relationships and gives,
and the forms that create, edit, move and delete a person."""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import AccountChoiceField
from accounts.models import Account
from kam.lib import saved_views
from kam.lib.forms import add_service_errors
from kam.lib.history_read import Source
from kam.lib.history_views import history_section
from kam.lib.pagination import page_of
from kam.lib.versions import save_unless_changed, version_of
from stakeholders import decay, selectors, services
from stakeholders.forms import (
    OPTIONS_SHOWN,
    GiveForm,
    LinkForm,
    MoveForm,
    PersonChoiceField,
    StakeholderFilterForm,
    StakeholderForm,
    focus_first_error,
)
from stakeholders.models import Give, InfluenceLink, Interaction, Position, Stakeholder
from stakeholders.permissions import may_log_contacts

TIMELINE_PAGE_SIZE = 20
GIVES_SHOWN = 50
REPORTS_SHOWN = 20


def _editable_person(request: HttpRequest, pk: int) -> Stakeholder:
    """The person if the user may change them: 404 when hidden, 403 when only readable."""
    person = selectors.stakeholder_get(user=request.user, pk=pk)
    if not person.can_edit:
        raise PermissionDenied(_("You may read this person but not change them."))
    return person


# --- the list -----------------------------------------------------------------------------


@login_required
def stakeholder_list(request: HttpRequest) -> HttpResponse:
    saved = saved_views.menu(request, "people")
    if opening := saved.opening():
        return opening
    form = StakeholderFilterForm(request.GET, user=request.user)
    filters = form.filters()
    people = selectors.stakeholder_list(user=request.user, filters=filters)
    context = {
        "form": form,
        "page": page_of(request, people),
        "node": filters.account,
        "sort": filters.sort,
        "can_create": Account.objects.editable_by(request.user).exists(),
    }
    if request.htmx:
        return render(request, "stakeholders/partials/people_results.html", context)
    saved.check(form)
    return render(request, "stakeholders/list.html", context | {"saved": saved})


# --- create, edit, move, delete -----------------------------------------------------------


@login_required
def stakeholder_create(request: HttpRequest) -> HttpResponse:
    if not Account.objects.editable_by(request.user).exists():
        raise PermissionDenied(_("You may not add people."))
    account = _editable_account(request, request.POST.get("account") or request.GET.get("account"))
    initial = {"account": account and account.pk, "relationship_owner": request.user.pk}
    form = StakeholderForm(request.POST or None, user=request.user, account=account, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = services.stakeholder_create(actor=request.user, account=data.pop("account"), **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(person)s was added.") % {"person": person.full_name})
            return redirect(person)
    focus_first_error(form)
    context = {
        "form": form,
        "account": account,
        "account_options_url": _options_url("accounts", near=account.pk if account else ""),
        "people_options_url": _options_url("people", blank=1),
    }
    return render(request, "stakeholders/form.html", context)


@login_required
def stakeholder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    name = person.full_name  # a refused change leaves its values in `person`
    # The form validates on a copy: the service compares the posted values with the person's.
    form = StakeholderForm(request.POST or None, instance=copy.copy(person), user=request.user)
    version, conflict = version_of(person), None
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_unless_changed(
                person,
                opened=request.POST.get("version"),
                posted=form.cleaned_data,
                user=request.user,
                save=lambda: services.stakeholder_update(actor=request.user, stakeholder=person, **form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if conflict is None:
                messages.success(request, _("Changes to %(person)s were saved.") % {"person": person.full_name})
                return redirect(person)
            version = conflict.version
    focus_first_error(form)
    context = {
        "version": version,
        "conflict": conflict,
        "form": form,
        "person": person,
        "name": name,
        "people_options_url": _options_url("people", blank=1, account=person.account_id, exclude=person.pk),
    }
    return render(request, "stakeholders/form.html", context)


@login_required
def stakeholder_move(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    form = MoveForm(request.POST or None, user=request.user, stakeholder=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.stakeholder_move(actor=request.user, stakeholder=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(person)s's new position was recorded.") % {"person": person.full_name})
            return redirect(person)
        person.refresh_from_db()  # the refused move changed it in memory
    focus_first_error(form)
    context = {
        "form": form,
        "person": person,
        "current": person.positions.filter(ended_on__isnull=True).first(),
        "account_options_url": _options_url("accounts", near=person.account_id),
        "people_options_url": _options_url("people", blank=1, exclude=person.pk),
    }
    return render(request, "stakeholders/move.html", context)


@login_required
def stakeholder_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    if request.method == "POST":
        services.stakeholder_delete(actor=request.user, stakeholder=person)
        messages.success(request, _("%(person)s was moved to the trash.") % {"person": person.full_name})
        return redirect(person.account)
    context = {
        "trash_days": settings.KAM_TRASH_DAYS,
        "person": person,
        "contacts": person.interactions.count(),
        "gives": person.gives.count(),
        "reports": person.direct_reports.count(),
    }
    return render(request, "stakeholders/delete.html", context)


def _editable_account(request: HttpRequest, pk: str | None) -> Account | None:
    if not pk or not str(pk).isdigit():
        return None
    return Account.objects.editable_by(request.user).active().filter(pk=pk).first()


def _options_url(kind: str, **params) -> str:
    """Where a filter box of the people forms fetches options (served by select_options)."""
    return reverse("stakeholders:options") + "?" + urlencode({"options": kind, **params})


@login_required
def select_options(request: HttpRequest) -> HttpResponse:
    """More options for a select of the people forms, filtered by what the user typed."""
    q = request.GET.get("who", "").strip()
    blank = "—" if request.GET.get("blank") else None
    if request.GET["options"] == "accounts":
        near = _editable_account(request, request.GET.get("near"))
        rows = selectors.account_options(user=request.user, editable=True, q=q, near=near, limit=OPTIONS_SHOWN)
        field = AccountChoiceField(queryset=Account.objects.none())
    else:
        pk = request.GET.get("account", "")
        account = Account.objects.visible_to(request.user).filter(pk=pk).first() if pk.isdigit() else None
        rows = (
            selectors.group_people(user=request.user, account=account, q=q, limit=OPTIONS_SHOWN + 1) if account else []
        )
        rows = [row for row in rows if str(row.pk) != request.GET.get("exclude")][:OPTIONS_SHOWN]
        field = PersonChoiceField(queryset=Stakeholder.objects.none())
    context = {
        "options": [(row.pk, field.label_from_instance(row)) for row in rows],
        "blank": blank,
        "select_first": bool(q),
    }
    return render(request, "stakeholders/partials/filter_box_options.html", context)


# --- the stakeholder page -----------------------------------------------------------------


@login_required
def stakeholder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.stakeholder_get(user=request.user, pk=pk)
    return render(request, "stakeholders/detail.html", _detail_context(request, person))


@login_required
def stakeholder_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The History section: the person, their positions, influence links and gives."""
    person = selectors.stakeholder_get(user=request.user, pk=pk)
    return history_section(
        request,
        [
            Source(Stakeholder, Q(id=person.pk), named=False),
            Source(Position, Q(stakeholder_id=person.pk), context=("account", "job_title")),
            Source(
                InfluenceLink, Q(source_id=person.pk) | Q(target_id=person.pk), context=("source", "kind", "target")
            ),
            Source(Give, Q(stakeholder_id=person.pk), context=("direction", "kind")),
        ],
    )


def _detail_context(
    request: HttpRequest, person: Stakeholder, *, give_form: GiveForm | None = None, link_form: LinkForm | None = None
) -> dict:
    """Everything on the page in a fixed number of queries, whatever the person's history:
    `person` from stakeholder_get says whether the user may change them and see their manager;
    their contacts are read once for the timeline and for the relationships' reasons."""
    user = request.user
    reports = list(selectors.direct_reports(user=user, stakeholder=person)[: REPORTS_SHOWN + 1])
    places = selectors.places_of(user=user, stakeholder=person)
    contacts = selectors.contacts_of(user=user, stakeholder=person)
    timeline = [interaction for interaction in contacts if interaction.visible]
    timeline_page = page_of(request, timeline, TIMELINE_PAGE_SIZE)
    selectors.add_participants(timeline_page.object_list, user=user)
    return {
        "person": person,
        "can_edit": person.can_edit,
        "may_log": may_log_contacts(user),
        "breadcrumbs": [*places.breadcrumbs, person.account],
        "manager": selectors.visible_manager(person),
        "reports": reports[:REPORTS_SHOWN],
        "more_reports": len(reports) > REPORTS_SHOWN,
        "positions": places.positions,
        "timeline_page": timeline_page,
        **_links_context(request, person, link_form),
        **_gives_context(request, person, give_form, contacts=contacts),
    }


def _links_context(request: HttpRequest, person: Stakeholder, form: LinkForm | None) -> dict:
    links = list(selectors.influence_links_of(user=request.user, stakeholder=person).order_by("kind", "pk"))
    if person.can_edit and form is None:
        form = LinkForm(user=request.user, stakeholder=person)
    return {
        "person": person,
        "can_edit": person.can_edit,
        "outgoing": [link for link in links if link.source_id == person.pk],
        "incoming": [link for link in links if link.target_id == person.pk],
        "link_form": form,
        "people_options_url": _options_url("people", account=person.account_id, exclude=person.pk),
    }


def _gives_context(
    request: HttpRequest, person: Stakeholder, form: GiveForm | None, *, contacts: list[Interaction] | None = None
) -> dict:
    """The relationships on our side and the reciprocity ledger: a new give changes both. All
    the person's gives are read once for the list, the ledger and the relationships' reasons;
    so are their `contacts` (from selectors.contacts_of) when the caller has them."""
    gives = list(selectors.gives_of(person))
    events = None if contacts is None else decay.contact_events(contacts) + decay.give_events(gives)
    relationships = selectors.relationships_of(person, events=events)
    ledger = selectors.Ledger.of(gives)
    if form is None:
        kind = request.GET.get("give_kind") or request.GET.get("kind")
        form = GiveForm(initial={"kind": kind} if kind in Give.Kind.values else {})
        form.prefilled = kind in Give.Kind.values
    return {
        "person": person,
        "can_edit": person.can_edit,
        "may_log": may_log_contacts(request.user),
        "relationships": relationships,
        "ledger": ledger,
        "gives": gives[:GIVES_SHOWN],
        "care_ideas": selectors.care_suggestions(relationships=relationships, ledger=ledger),
        "give_form": form,
        "formula": _formula(),
    }


def _formula() -> dict:
    """The numbers behind relationship strength, for the one-line explanation on the page."""
    return {
        "points": ", ".join(f"{kind.label} {points}" for kind, points in decay.INTERACTION_POINTS.items() if points),
        "given": decay.GIVE_POINTS[Give.Direction.GIVEN],
        "received": decay.GIVE_POINTS[Give.Direction.RECEIVED],
        "positive": decay.SENTIMENT_FACTOR[Interaction.Sentiment.POSITIVE],
        "negative": decay.SENTIMENT_FACTOR[Interaction.Sentiment.NEGATIVE],
        "half_life": decay.HALF_LIFE_DAYS,
        "window": decay.WINDOW_DAYS,
        "cold_after": decay.COLD_AFTER,
    }


# --- gives and influence links --------------------------------------------------------------


@login_required
def give_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.stakeholder_get(user=request.user, pk=pk)
    if request.method != "POST":
        # A "pay forward" idea: the give form with its kind chosen.
        if request.htmx:
            return _render_gives(request, person)
        query = urlencode({"give_kind": request.GET.get("kind", "")})
        return redirect(f"{person.get_absolute_url()}?{query}#give-form")
    if not may_log_contacts(request.user):
        raise PermissionDenied(_("You may read this person but not record gives."))
    form = GiveForm(request.POST)
    if form.is_valid():
        try:
            services.give_record(actor=request.user, stakeholder=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("The give was recorded."))
                return redirect(f"{person.get_absolute_url()}#gives")
            form = None
    if request.htmx:
        return _render_gives(request, person, form)
    return render(request, "stakeholders/detail.html", _detail_context(request, person, give_form=form))


@login_required
@require_POST
def give_delete(request: HttpRequest, pk: int) -> HttpResponse:
    give = get_object_or_404(Give.objects.visible_to(request.user).select_related("stakeholder__account"), pk=pk)
    services.give_delete(actor=request.user, give=give)
    if request.htmx:
        return _render_gives(request, selectors.stakeholder_get(user=request.user, pk=give.stakeholder_id))
    messages.success(request, _("The give was moved to the trash."))
    return redirect(f"{give.stakeholder.get_absolute_url()}#gives")


def _render_gives(request: HttpRequest, person: Stakeholder, form: GiveForm | None = None) -> HttpResponse:
    context = _gives_context(request, person, form)
    return render(request, "stakeholders/partials/person_gives_and_relationships.html", context)


@login_required
@require_POST
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    form = LinkForm(request.POST, user=request.user, stakeholder=person)
    if form.is_valid():
        try:
            services.influence_link_save(actor=request.user, link=form.link())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("The link was added."))
                return redirect(f"{person.get_absolute_url()}#links")
            form = None
    if request.htmx:
        context = _links_context(request, person, form)
        return render(request, "stakeholders/partials/person_influence_links.html", context)
    return render(request, "stakeholders/detail.html", _detail_context(request, person, link_form=form))


@login_required
@require_POST
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(InfluenceLink.objects.visible_to(request.user).select_related("source__account"), pk=pk)
    # The page the button was on: the source's or the target's.
    posted = request.POST.get("person", "")
    page_pk = int(posted) if posted.isdigit() else link.source_id
    person = _editable_person(request, page_pk)
    if page_pk not in (link.source_id, link.target_id):
        raise PermissionDenied
    services.influence_link_delete(actor=request.user, link=link)
    if request.htmx:
        context = _links_context(request, person, None)
        return render(request, "stakeholders/partials/person_influence_links.html", context)
    messages.success(request, _("The link was deleted."))
    return redirect(reverse("stakeholders:detail", args=[person.pk]) + "#links")
