"""What the stakeholder viewsets share: the visible-person field, the write permissions, the
standard summaries, and the account and date filters."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers
from rest_framework.request import Request

from accounts.hierarchy import SUBTREE_IDS_SQL
from stakeholders.models import Stakeholder


@extend_schema_field(OpenApiTypes.INT)
class VisibleStakeholderField(serializers.PrimaryKeyRelatedField):
    """A person the requesting user may see; any other id is answered like a missing one."""

    def get_queryset(self) -> QuerySet[Stakeholder]:
        return Stakeholder.objects.visible_to(self.context["request"].user)


class LeadershipReadsOnly(permissions.BasePermission):
    message = _("Sales leadership reads but does not change.")

    def has_permission(self, request: Request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or not request.user.is_read_only


class MayChange(permissions.BasePermission):
    """Reading a visible row is allowed; changing it asks the viewset's `may_change`."""

    message = _("You may read this but not change it.")

    def has_object_permission(self, request: Request, view, obj) -> bool:
        return request.method in permissions.SAFE_METHODS or view.may_change(request.user, obj)


WRITE_PERMISSIONS = [permissions.IsAuthenticated, LeadershipReadsOnly, MayChange]


def standard_docs(singular: str, plural: str, *, writable: bool = True):
    """Summaries for the standard actions of a viewset."""
    one = f"{'an' if singular[0] in 'aeiou' else 'a'} {singular}"
    views = {
        "list": extend_schema(summary=f"List the {plural} you may see"),
        "retrieve": extend_schema(summary=f"One {singular}"),
    }
    if writable:
        views |= {
            "create": extend_schema(summary=f"Create {one}"),
            "update": extend_schema(summary=f"Replace {one}"),
            "partial_update": extend_schema(summary=f"Change fields of {one}"),
            "destroy": extend_schema(summary=f"Delete {one}"),
        }
    return extend_schema_view(**views)


class ScopedViewSetMixin:
    # Filters narrow lists; a detail URL names one row whatever the query string says.

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


# --- filters ------------------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class AccountFilter(filters.FilterSet):
    """`account` (that node) and `subtree` (that node and every node below it)."""

    account_field = "account"

    account = filters.NumberFilter(method="filter_account", label="On this account")
    subtree = filters.NumberFilter(method="filter_subtree", label="On this account or any account below it")

    def filter_account(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.account_field}_id": int(value)})

    def filter_subtree(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.account_field}_id__in": RawSQL(SUBTREE_IDS_SQL, [int(value)])})


class OccurredFilter(AccountFilter):
    """Both ends inclusive, whole days in the server's time zone."""

    occurred_after = filters.DateFilter(method="filter_after", label="On or after this date (YYYY-MM-DD)")
    occurred_before = filters.DateFilter(method="filter_before", label="On or before this date (YYYY-MM-DD)")

    def filter_after(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(occurred_at__gte=_start_of(value))

    def filter_before(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(occurred_at__lt=_start_of(value + timedelta(days=1)))
