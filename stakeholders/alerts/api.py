"""REST API for relationship alerts: read what one may see, resolve by hand.

Alerts are raised and resolved by the decay job (stakeholders.alerts.watch); the API never creates
or edits them. An alert outside the visibility rule answers 404; resolving one that is not
one's own and on an account one may not change answers 403; resolving without a note or
twice answers 400.
"""

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.hierarchy import SUBTREE_IDS_SQL
from kam.lib.api_records import RecordViewSetMixin
from stakeholders.alerts import selectors, services
from stakeholders.models import Alert


class AlertSerializer(serializers.ModelSerializer):
    message = serializers.CharField(read_only=True, help_text="The alert in words, in the request's language.")
    reason = serializers.CharField(read_only=True, help_text="Why it was raised, in words.")
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "account",
            "stakeholder",
            "user",
            "message",
            "reason",
            "last_contact_at",
            "days_without_contact",
            "cadence_days",
            "raised_at",
            "is_open",
            "resolved_at",
            "resolution",
            "resolution_note",
            "resolved_by",
        ]
        read_only_fields = fields


class ResolveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=services.NOTE_MAX_LENGTH, help_text="Why the alert is resolved.")


class AlertFilter(filters.FilterSet):
    account = filters.NumberFilter(field_name="account_id")
    subtree = filters.NumberFilter(method="filter_subtree", label="Alerts on this account and all below it")
    stakeholder = filters.NumberFilter(field_name="stakeholder_id")
    user = filters.NumberFilter(field_name="user_id")
    mine = filters.BooleanFilter(method="filter_mine", label="Only alerts addressed to me")
    open = filters.BooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", label="Open (true) or resolved (false)"
    )

    class Meta:
        model = Alert
        fields = ["kind", "account", "subtree", "stakeholder", "user", "mine", "open"]

    def filter_subtree(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(account_id__in=RawSQL(SUBTREE_IDS_SQL, [int(value)]))

    def filter_mine(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(user=self.request.user) if value else queryset.exclude(user=self.request.user)


@extend_schema(tags=["relationships"])
@extend_schema_view(
    list=extend_schema(
        summary="List the alerts you may see", description="Newest first; `?open=true&mine=true`: your inbox."
    ),
    retrieve=extend_schema(summary="One alert"),
)
class AlertViewSet(RecordViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    ordering_fields = ["raised_at", "resolved_at"]
    search_fields = []

    def get_queryset(self) -> QuerySet[Alert]:
        return selectors.alert_list(user=self.request.user, filters=selectors.AlertFilters(mine=False, status=""))

    @extend_schema(
        summary="Resolve the alert by hand, with a note",
        request=ResolveSerializer,
        responses={
            200: AlertSerializer,
            400: OpenApiResponse(description="No note, or the alert is already resolved."),
            403: OpenApiResponse(description="Neither your alert nor an account you may change."),
        },
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        alert = self.get_object()
        if not selectors.may_resolve(user=request.user, alert=alert):
            raise PermissionDenied(_("Only the relationship owner or the account's KAM resolves this alert."))
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alert = services.alert_resolve(actor=request.user, alert=alert, note=body.validated_data["note"])
        return Response(self.get_serializer(alert).data)
