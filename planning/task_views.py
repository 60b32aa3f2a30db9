"""My tasks: the inbox of whoever holds tasks (a regional colleague's home), their
notifications, capacity, and the calendar feed of their due dates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kam.lib.pagination import page_of
from planning import ics, selectors, services, workflow
from planning.forms import CapacityForm, TaskFilterForm
from planning.models import CalendarFeed

# My tasks are cards, each a few lines tall: fewer to a page than the tables elsewhere.
TASKS_PER_PAGE = 20


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    form = TaskFilterForm(request.GET)
    tasks = selectors.my_tasks(user=request.user, filters=form.filters())
    page = page_of(request, tasks, TASKS_PER_PAGE)
    rows = [(task, workflow.allowed_actions(actor=request.user, activity=task, can_manage=False)) for task in page]
    results = {"page": page, "rows": rows, "today": timezone.localdate()}
    if request.htmx and request.htmx.target == "task-results":
        return render(request, "planning/partials/task_results.html", results)
    feed = services.calendar_feed_for(request.user)
    capacity = getattr(request.user, "capacity", None)
    context = {
        **results,
        "form": form,
        "notifications": selectors.recent_notifications(request.user),
        "unread": selectors.unread_count(request.user),
        "my_requests": selectors.requests_logged_by(request.user),
        "capacity_form": CapacityForm(initial={"hours_per_week": capacity.hours_per_week if capacity else None}),
        "feed_url": request.build_absolute_uri(reverse("planning:calendar_feed", args=[feed.token])),
    }
    return render(request, "planning/my_tasks.html", context)


@login_required
@require_GET
def notifications_badge(request: HttpRequest) -> HttpResponse:
    """The unread count next to "My tasks", fetched after the page so no page pays for it."""
    context = {"unread": selectors.unread_count(request.user)}
    return render(request, "planning/partials/notification_badge.html", context)


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(actor=request.user)
    return redirect("planning:my_tasks")


@login_required
@require_POST
def capacity_update(request: HttpRequest) -> HttpResponse:
    form = CapacityForm(request.POST)
    if form.is_valid():
        services.capacity_set(actor=request.user, user=request.user, hours_per_week=form.cleaned_data["hours_per_week"])
        messages.success(request, _("Your capacity was saved."))
    else:
        messages.error(request, _("Hours per week lie between 0 and 80."))
    return redirect("planning:my_tasks")


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_reset(actor=request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("planning:my_tasks")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No login: calendar programs cannot log in. The secret token in the URL is the key."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404("No such calendar.")
    user = feed.user
    body = ics.calendar(
        selectors.calendar_activities(user),
        name=_("KAM tasks of %(user)s") % {"user": user.display_name},
        base_url=request.build_absolute_uri("/").rstrip("/"),
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kam-tasks.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
