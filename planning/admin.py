from django.contrib import admin

from kam.lib.admin import RecordAdmin, RecordInline
from planning.models import (
    AccountPlan,
    Activity,
    ActivityEvent,
    CalendarFeed,
    Capacity,
    Notification,
    Objective,
    Request,
)


class ObjectiveInline(RecordInline):
    model = Objective


@admin.register(AccountPlan)
class AccountPlanAdmin(RecordAdmin):
    list_display = ("title", "account", "year")
    list_filter = ("year",)
    search_fields = ("title", "account__name")
    autocomplete_fields = ("account",)
    inlines = [ObjectiveInline]


class EventInline(RecordInline):
    model = ActivityEvent


@admin.register(Activity)
class ActivityAdmin(RecordAdmin):
    list_display = ("title", "account", "assignee", "status", "due_on", "priority_score")
    list_filter = ("status",)
    search_fields = ("title", "account__name")
    autocomplete_fields = ("account", "plan", "stakeholders")
    inlines = [EventInline]


@admin.register(Request)
class RequestAdmin(RecordAdmin):
    list_display = ("title", "account", "source", "requested_by", "status", "created_at")
    list_filter = ("status", "source")
    search_fields = ("title", "requested_by", "account__name")
    autocomplete_fields = ("account",)


@admin.register(Capacity)
class CapacityAdmin(RecordAdmin):
    list_display = ("user", "hours_per_week")
    autocomplete_fields = ("user",)


@admin.register(Notification)
class NotificationAdmin(RecordAdmin):
    list_display = ("user", "kind", "actor", "created_at", "read_at")
    list_filter = ("kind",)


admin.site.register(CalendarFeed)
