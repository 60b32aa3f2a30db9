"""The API for activities and their hand-off: assign, accept, decline, start, complete, cancel,
reopen."""

from django.db.models import F, Prefetch, QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response

from accounts.api import VisibleAccountField
from kam.lib.api_records import HistoryMixin, RecordViewSetMixin
from kam.lib.history_read import Entry
from planning import services, workflow
from planning.api.common import (
    ActiveUserField,
    DeclineSerializer,
    ListFiltersOnly,
    SubtreeFilter,
    VisibleObjectiveField,
    VisiblePlanField,
)
from planning.models import Activity, Request
from planning.selectors import activity_history
from stakeholders.api.common import VisibleStakeholderField
from stakeholders.models import Stakeholder

# --- activities ---------------------------------------------------------------------------


class ActivitySerializer(serializers.ModelSerializer):
    account = VisibleAccountField()
    plan = VisiblePlanField(allow_null=True, required=False)
    objective = VisibleObjectiveField(allow_null=True, required=False)
    stakeholders = VisibleStakeholderField(many=True, required=False)
    assignee = ActiveUserField(
        allow_null=True,
        required=False,
        help_text="On create: hand the activity over at once. To change it later use POST .../assign/.",
    )
    priority_explanation = serializers.CharField(read_only=True, help_text="How the priority score comes about.")
    request = serializers.SerializerMethodField(help_text="The request this activity was accepted from.")

    class Meta:
        model = Activity
        fields = [
            "id",
            "account",
            "plan",
            "objective",
            "title",
            "description",
            "stakeholders",
            "assignee",
            "assigned_by",
            "due_on",
            "status",
            "impact",
            "urgency",
            "effort_hours",
            "priority_score",
            "priority_explanation",
            "decline_reason",
            "request",
            "created_by",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "assigned_by",
            "status",
            "priority_score",
            "decline_reason",
            "created_by",
            "completed_at",
            "created_at",
            "updated_at",
        ]

    def get_request(self, activity: Activity) -> int | None:
        try:
            return activity.request.pk
        except Request.DoesNotExist:
            return None

    def validate_assignee(self, assignee):
        if self.instance is not None and getattr(assignee, "pk", None) != self.instance.assignee_id:
            raise serializers.ValidationError(
                _("Hand the activity over with POST /api/activities/%(id)s/assign/.") % {"id": self.instance.pk}
            )
        return assignee


class AssignSerializer(serializers.Serializer):
    assignee = ActiveUserField(help_text="Any active colleague, in any country.")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ActivityFilter(SubtreeFilter):
    plan = filters.NumberFilter(field_name="plan_id")
    objective = filters.NumberFilter(field_name="objective_id")
    assignee = filters.NumberFilter(field_name="assignee_id")
    status = filters.MultipleChoiceFilter(choices=Activity.Status.choices)
    due_after = filters.DateFilter(field_name="due_on", lookup_expr="gte", label="Due on or after (YYYY-MM-DD)")
    due_before = filters.DateFilter(field_name="due_on", lookup_expr="lte", label="Due on or before (YYYY-MM-DD)")
    overdue = filters.BooleanFilter(method="filter_overdue", label="Past the due date and not done or cancelled")
    mine = filters.BooleanFilter(method="filter_mine", label="Assigned to me")

    class Meta:
        model = Activity
        fields = ["account", "subtree", "plan", "objective", "assignee", "status", "due_after", "due_before"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        late = queryset.overdue()
        return late if value else queryset.exclude(pk__in=late.values("pk"))

    def filter_mine(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        me = self.request.user.pk
        return queryset.filter(assignee_id=me) if value else queryset.exclude(assignee_id=me)


ACTIVITY_STEP_DOC = {
    "accept": "The assignee accepts the task (from `assigned`).",
    "start": "The assignee starts the work (from `accepted`).",
    "complete": "The assignee finishes the task (from `accepted` or `in_progress`); the KAM is told.",
    "cancel": "The KAM calls the activity off (from any status but `done` and `cancelled`).",
    "reopen": "The KAM opens a declined, done or cancelled activity again (unassigned).",
}
REFUSALS = {
    400: OpenApiResponse(description="Not possible from the current status (the message says why)."),
    403: OpenApiResponse(description="Only the assignee answers a task; only the KAM assigns, cancels, reopens."),
}


@extend_schema(tags=["activities"])
class ActivityViewSet(RecordViewSetMixin, HistoryMixin, ListFiltersOnly, viewsets.ModelViewSet):
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    search_fields = ["title", "account__name"]
    ordering_fields = ["priority_score", "due_on", "created_at"]

    def get_queryset(self) -> QuerySet[Activity]:
        return (
            Activity.objects.visible_to(self.request.user)
            .select_related("request")
            .prefetch_related(Prefetch("stakeholders", queryset=Stakeholder.objects.only("pk")))
            .order_by("-priority_score", F("due_on").asc(nulls_last=True), "pk")
        )

    def perform_create(self, serializer: ActivitySerializer) -> None:
        fields = dict(serializer.validated_data)
        stakeholders = fields.pop("stakeholders", [])
        serializer.instance = services.activity_create(actor=self.request.user, stakeholders=stakeholders, **fields)

    def perform_update(self, serializer: ActivitySerializer) -> None:
        fields = {k: v for k, v in serializer.validated_data.items() if k != "assignee"}
        stakeholders = fields.pop("stakeholders", None)
        serializer.instance = services.activity_update(
            actor=self.request.user, activity=serializer.instance, stakeholders=stakeholders, **fields
        )

    def perform_destroy(self, instance: Activity) -> None:
        services.activity_delete(actor=self.request.user, activity=instance)

    def history_entries(self, activity: Activity) -> list[Entry]:
        # An activity keeps its own log of every hand-off (ActivityEvent), shown in the same shape.
        return activity_history(activity)

    def _answer(self, activity: Activity) -> Response:
        return Response(self.get_serializer(Activity.objects.get(pk=activity.pk)).data)

    def _body(self, serializer_class, request: ApiRequest) -> dict:
        body = serializer_class(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(
        summary="Hand the activity to a colleague",
        request=AssignSerializer,
        responses={200: ActivitySerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: ApiRequest, pk: str | None = None) -> Response:
        activity = self.get_object()
        data = self._body(AssignSerializer, request)
        return self._answer(workflow.activity_assign(actor=request.user, activity=activity, assignee=data["assignee"]))

    @extend_schema(
        summary="Decline the task, with a reason",
        request=DeclineSerializer,
        responses={200: ActivitySerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: ApiRequest, pk: str | None = None) -> Response:
        activity = self.get_object()
        data = self._body(DeclineSerializer, request)
        return self._answer(workflow.activity_decline(actor=request.user, activity=activity, reason=data["reason"]))

    def _step(self, request: ApiRequest, name: str) -> Response:
        activity = self.get_object()
        extra = self._body(NoteSerializer, request) if name in ("complete", "cancel") else {}
        step = getattr(workflow, f"activity_{name}")
        return self._answer(step(actor=request.user, activity=activity, **extra))

    @extend_schema(summary=ACTIVITY_STEP_DOC["accept"], request=None, responses={200: ActivitySerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def accept(self, request: ApiRequest, pk: str | None = None) -> Response:
        return self._step(request, "accept")

    @extend_schema(summary=ACTIVITY_STEP_DOC["start"], request=None, responses={200: ActivitySerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def start(self, request: ApiRequest, pk: str | None = None) -> Response:
        return self._step(request, "start")

    @extend_schema(
        summary=ACTIVITY_STEP_DOC["complete"], request=NoteSerializer, responses={200: ActivitySerializer, **REFUSALS}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: ApiRequest, pk: str | None = None) -> Response:
        return self._step(request, "complete")

    @extend_schema(
        summary=ACTIVITY_STEP_DOC["cancel"], request=NoteSerializer, responses={200: ActivitySerializer, **REFUSALS}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: ApiRequest, pk: str | None = None) -> Response:
        return self._step(request, "cancel")

    @extend_schema(summary=ACTIVITY_STEP_DOC["reopen"], request=None, responses={200: ActivitySerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def reopen(self, request: ApiRequest, pk: str | None = None) -> Response:
        return self._step(request, "reopen")
