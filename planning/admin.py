from django.contrib import admin

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


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(AccountPlan)
class AccountPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "account", "year")
    list_filter = ("year",)
    search_fields = ("title", "account__name")
    autocomplete_fields = ("account",)
    inlines = [ObjectiveInline]


class EventInline(admin.TabularInline):
    model = ActivityEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "actor", "assignee", "from_status", "to_status", "note", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # the history is written by the workflow only


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    # Status and assignee are read-only here: they change through the workflow (planning.services),
    # which checks every step, records it and tells the people concerned.
    list_display = ("title", "account", "assignee", "status", "due_on", "priority_score")
    list_filter = ("status",)
    search_fields = ("title", "account__name")
    autocomplete_fields = ("account", "plan", "stakeholders")
    readonly_fields = ("status", "assignee", "assigned_by", "priority_score", "decline_reason", "completed_at")
    inlines = [EventInline]


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ("title", "account", "source", "requested_by", "status", "created_at")
    list_filter = ("status", "source")
    search_fields = ("title", "requested_by", "account__name")
    autocomplete_fields = ("account",)
    readonly_fields = ("status", "decline_reason", "activity", "decided_by", "decided_at")


@admin.register(Capacity)
class CapacityAdmin(admin.ModelAdmin):
    list_display = ("user", "hours_per_week")
    autocomplete_fields = ("user",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "actor", "created_at", "read_at")
    list_filter = ("kind",)


admin.site.register(CalendarFeed)
