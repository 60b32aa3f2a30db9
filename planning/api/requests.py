"""The API for requests and their triage: accept into the plan, decline with a reason, reopen."""

from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response

from accounts.api import VisibleAccountField
from kam.lib.api_records import HistoryMixin, RecordViewSetMixin
from planning import triage
from planning.api.common import (
    ActiveUserField,
    DeclineSerializer,
    ListFiltersOnly,
    SubtreeFilter,
    VisibleObjectiveField,
    VisiblePlanField,
    keep_unchanged,
)
from planning.models import Request

# --- requests -----------------------------------------------------------------------------


class RequestSerializer(serializers.ModelSerializer):
    account = VisibleAccountField()

    class Meta:
        model = Request
        fields = [
            "id",
            "account",
            "title",
            "description",
            "source",
            "requested_by",
            "status",
            "decline_reason",
            "activity",
            "logged_by",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        read_only_fields = [
            "status",
            "decline_reason",
            "activity",
            "logged_by",
            "decided_by",
            "decided_at",
            "created_at",
        ]

    def validate_account(self, account):
        return keep_unchanged(self, "account", account, _("A request stays with its account."))


class RequestAcceptSerializer(serializers.Serializer):
    """The activity the request becomes; everything optional (title and account come from the request)."""

    plan = VisiblePlanField(required=False, allow_null=True)
    objective = VisibleObjectiveField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200, required=False)
    impact = serializers.IntegerField(min_value=1, max_value=5, required=False)
    urgency = serializers.IntegerField(min_value=1, max_value=5, required=False)
    effort_hours = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=Decimal("0.5"), required=False)
    due_on = serializers.DateField(required=False, allow_null=True)
    assignee = ActiveUserField(required=False, allow_null=True)


class RequestFilter(SubtreeFilter):
    class Meta:
        model = Request
        fields = ["account", "subtree", "status", "source"]


@extend_schema(tags=["requests"])
class RequestViewSet(RecordViewSetMixin, HistoryMixin, ListFiltersOnly, viewsets.ModelViewSet):
    serializer_class = RequestSerializer
    filterset_class = RequestFilter
    search_fields = ["title", "requested_by", "account__name"]
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Request]:
        return Request.objects.visible_to(self.request.user).order_by("-created_at", "-pk")

    def perform_create(self, serializer: RequestSerializer) -> None:
        serializer.instance = triage.request_log(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: RequestSerializer) -> None:
        fields = {k: v for k, v in serializer.validated_data.items() if k != "account"}
        serializer.instance = triage.request_update(actor=self.request.user, request=serializer.instance, **fields)

    def perform_destroy(self, instance: Request) -> None:
        triage.request_delete(actor=self.request.user, request=instance)

    def _body(self, serializer_class, request: ApiRequest) -> dict:
        body = serializer_class(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(
        summary="Accept the request: it becomes an activity of the plan",
        request=RequestAcceptSerializer,
        responses={
            200: RequestSerializer,
            400: OpenApiResponse(description="Declined (reopen first) or decided already."),
        },
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: ApiRequest, pk: str | None = None) -> Response:
        item = self.get_object()
        fields = self._body(RequestAcceptSerializer, request)
        item = triage.request_accept(actor=request.user, request=item, **fields)
        return Response(self.get_serializer(item).data)

    @extend_schema(
        summary="Decline the request, with a reason the requester reads",
        request=DeclineSerializer,
        responses={200: RequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: ApiRequest, pk: str | None = None) -> Response:
        item = self.get_object()
        reason = self._body(DeclineSerializer, request)["reason"]
        return Response(
            self.get_serializer(triage.request_decline(actor=request.user, request=item, reason=reason)).data
        )

    @extend_schema(
        summary="Put a declined request back into the triage queue", request=None, responses={200: RequestSerializer}
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: ApiRequest, pk: str | None = None) -> Response:
        item = self.get_object()
        return Response(self.get_serializer(triage.request_reopen(actor=request.user, request=item)).data)
