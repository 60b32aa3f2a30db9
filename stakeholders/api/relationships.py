"""The API for relationships: read-only, computed from interactions and gives."""

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from kam.lib.api_records import RecordViewSetMixin
from stakeholders.api.common import AccountFilter, ScopedViewSetMixin, standard_docs
from stakeholders.models import Relationship


class RelationshipFilter(AccountFilter):
    account_field = "stakeholder__account"

    stakeholder = filters.NumberFilter(field_name="stakeholder_id")
    user = filters.NumberFilter(field_name="user_id")

    class Meta:
        model = Relationship
        fields = ["account", "subtree", "stakeholder", "user", "status"]


class RelationshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Relationship
        fields = ["id", "user", "stakeholder", "strength", "last_interaction_at", "status", "computed_at"]
        read_only_fields = fields


@extend_schema(tags=["relationships"])
@standard_docs("relationship", "relationships (computed from interactions and gives)", writable=False)
class RelationshipViewSet(RecordViewSetMixin, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """One colleague's relationship with one person: strength (0-100) and status decay with time
    since the last contact and are recomputed from interactions and gives, never typed in."""

    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilter
    ordering_fields = ["strength", "last_interaction_at"]

    def get_queryset(self) -> QuerySet[Relationship]:
        return Relationship.objects.visible_to(self.request.user).order_by("-strength", "pk")
