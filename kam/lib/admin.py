"""The Django admin's part in KAM: users, roles and product lines are maintained there; business
records are shown there for support but never written there. Their writes carry rules that live in
the apps' services (visibility, the cycle guard, locks, stale marks for the snapshot job), and the
pages and the API call those services."""

from django.contrib import admin
from django.http import HttpRequest


class _ViewOnly:
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class RecordAdmin(_ViewOnly, admin.ModelAdmin):
    """A business record: listed, searched and shown, changed only through the pages and the API."""


class RecordInline(_ViewOnly, admin.TabularInline):
    extra = 0
