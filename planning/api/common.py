"""What the planning viewsets share: fields that accept only what the user may see, the rule
that a row stays with its parent, list-only filters, and the decline body."""

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.hierarchy import SUBTREE_IDS_SQL
from kam.models import User
from planning.models import AccountPlan, Objective


@extend_schema_field(OpenApiTypes.INT)
class _VisibleField(serializers.PrimaryKeyRelatedField):
    model = None

    def get_queryset(self) -> QuerySet:
        return self.model.objects.visible_to(self.context["request"].user)


class VisiblePlanField(_VisibleField):
    model = AccountPlan


class VisibleObjectiveField(_VisibleField):
    model = Objective


@extend_schema_field(OpenApiTypes.INT)
class ActiveUserField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[User]:
        return User.objects.filter(is_active=True)


def keep_unchanged(serializer: serializers.ModelSerializer, field: str, value, hint: str):
    """On an update, `field` keeps the row's value (a plan stays with its account); else `hint`."""
    instance = serializer.instance
    if instance is not None and getattr(value, "pk", value) != getattr(instance, f"{field}_id"):
        raise serializers.ValidationError(hint)
    return value


class ListFiltersOnly:
    # Filters narrow lists; a detail URL names one row whatever the query string says.
    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


class SubtreeFilter(filters.FilterSet):
    account = filters.NumberFilter(field_name="account_id", label="On this account")
    subtree = filters.NumberFilter(method="filter_subtree", label="On this account or any account below it")

    def filter_subtree(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(account_id__in=RawSQL(SUBTREE_IDS_SQL, [int(value)]))


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Required: why it is declined.")
