"""REST API for plans, objectives, activities (with the hand-off steps) and requests (with
triage), per the contract in DESIGN.md.

Reads go through the same visibility rule as the pages (a row outside it answers 404; an id
outside it in a body answers 400 like a missing one). Writes go through planning.services:
their ValidationError becomes a 400 with field errors, their PermissionDenied a 403 — e.g. a
colleague answering a task that is not theirs, or a KAM deciding on a request of an account
they only read.
"""

from decimal import Decimal

from django.db.models import F, Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response

from accounts.api import VisibleAccountField
from accounts.hierarchy import SUBTREE_IDS_SQL
from kam.models import User
from planning import metrics, services
from planning.models import AccountPlan, Activity, Objective, Request
from stakeholders.models import Stakeholder


@extend_schema_field(OpenApiTypes.INT)
class _VisibleField(serializers.PrimaryKeyRelatedField):
    model = None

    def get_queryset(self) -> QuerySet:
        return self.model.objects.visible_to(self.context["request"].user)


class VisiblePlanField(_VisibleField):
    model = AccountPlan


class VisibleObjectiveField(_VisibleField):
    model = Objective


class VisibleStakeholderField(_VisibleField):
    model = Stakeholder


@extend_schema_field(OpenApiTypes.INT)
class ActiveUserField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[User]:
        return User.objects.filter(is_active=True)


def _unchanged(serializer: serializers.ModelSerializer, field: str, value, hint: str):
    instance = serializer.instance
    if instance is not None and getattr(value, "pk", value) != getattr(instance, f"{field}_id"):
        raise serializers.ValidationError(hint)
    return value


class _ListFiltersOnly:
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


# --- plans --------------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):
    account = VisibleAccountField()

    class Meta:
        model = AccountPlan
        fields = ["id", "account", "year", "title", "summary", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # one plan per account and year: the service answers on the field `year`

    def validate_account(self, account):
        return _unchanged(self, "account", account, _("A plan stays with its account: create a new plan instead."))


class PlanFilter(SubtreeFilter):
    class Meta:
        model = AccountPlan
        fields = ["account", "subtree", "year"]


@extend_schema(tags=["plans"])
class PlanViewSet(_ListFiltersOnly, viewsets.ModelViewSet):
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    search_fields = ["title", "account__name"]
    ordering_fields = ["year", "title"]

    def get_queryset(self) -> QuerySet[AccountPlan]:
        return AccountPlan.objects.visible_to(self.request.user).order_by("-year", "title", "pk")

    def perform_create(self, serializer: PlanSerializer) -> None:
        serializer.instance = services.plan_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: PlanSerializer) -> None:
        fields = {k: v for k, v in serializer.validated_data.items() if k != "account"}
        serializer.instance = services.plan_update(actor=self.request.user, plan=serializer.instance, **fields)

    def perform_destroy(self, instance: AccountPlan) -> None:
        services.plan_delete(actor=self.request.user, plan=instance)


# --- objectives ---------------------------------------------------------------------------


class ObjectiveSerializer(serializers.ModelSerializer):
    plan = VisiblePlanField()
    current_value = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Typed in for the metric `manual`; computed from CRM data for every other metric "
        "(a value sent for those is ignored).",
    )
    is_computed = serializers.BooleanField(read_only=True, help_text="The current value fills itself from CRM data.")
    progress = serializers.DecimalField(
        max_digits=5, decimal_places=4, read_only=True, allow_null=True, help_text="current / target, 0–1."
    )

    class Meta:
        model = Objective
        fields = [
            "id",
            "plan",
            "title",
            "description",
            "metric",
            "product_line",
            "target_value",
            "current_value",
            "is_computed",
            "progress",
        ]

    def validate_plan(self, plan):
        return _unchanged(self, "plan", plan, _("An objective stays with its plan."))

    def to_representation(self, objective: Objective) -> dict:
        data = super().to_representation(objective)
        value = objective.value
        data["current_value"] = None if value is None else self.fields["current_value"].to_representation(value)
        return data


class ObjectiveFilter(filters.FilterSet):
    plan = filters.NumberFilter(field_name="plan_id")

    class Meta:
        model = Objective
        fields = ["plan", "metric"]


@extend_schema(tags=["plans"])
class ObjectiveViewSet(_ListFiltersOnly, viewsets.ModelViewSet):
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilter
    search_fields = ["title"]

    def get_queryset(self) -> QuerySet[Objective]:
        return Objective.objects.visible_to(self.request.user).select_related("plan").order_by("plan_id", "pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # Computed values for a whole page at once: a few set-based queries, not one per row.
        return metrics.attach_values(page) if page is not None else None

    def get_object(self) -> Objective:
        return metrics.attach_values([super().get_object()])[0]

    def perform_create(self, serializer: ObjectiveSerializer) -> None:
        fields = dict(serializer.validated_data)
        plan = fields.pop("plan")
        objective = services.objective_create(actor=self.request.user, plan=plan, **fields)
        serializer.instance = metrics.attach_values([objective])[0]

    def perform_update(self, serializer: ObjectiveSerializer) -> None:
        fields = {k: v for k, v in serializer.validated_data.items() if k != "plan"}
        objective = services.objective_update(actor=self.request.user, objective=serializer.instance, **fields)
        serializer.instance = metrics.attach_values([objective])[0]

    def perform_destroy(self, instance: Objective) -> None:
        services.objective_delete(actor=self.request.user, objective=instance)


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


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Required: why it is declined.")


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
class ActivityViewSet(_ListFiltersOnly, viewsets.ModelViewSet):
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
        return self._answer(services.activity_assign(actor=request.user, activity=activity, assignee=data["assignee"]))

    @extend_schema(
        summary="Decline the task, with a reason",
        request=DeclineSerializer,
        responses={200: ActivitySerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: ApiRequest, pk: str | None = None) -> Response:
        activity = self.get_object()
        data = self._body(DeclineSerializer, request)
        return self._answer(services.activity_decline(actor=request.user, activity=activity, reason=data["reason"]))

    def _step(self, request: ApiRequest, name: str) -> Response:
        activity = self.get_object()
        extra = self._body(NoteSerializer, request) if name in ("complete", "cancel") else {}
        step = getattr(services, f"activity_{name}")
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
        return _unchanged(self, "account", account, _("A request stays with its account."))


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
class RequestViewSet(_ListFiltersOnly, viewsets.ModelViewSet):
    serializer_class = RequestSerializer
    filterset_class = RequestFilter
    search_fields = ["title", "requested_by", "account__name"]
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Request]:
        return Request.objects.visible_to(self.request.user).order_by("-created_at", "-pk")

    def perform_create(self, serializer: RequestSerializer) -> None:
        serializer.instance = services.request_log(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: RequestSerializer) -> None:
        fields = {k: v for k, v in serializer.validated_data.items() if k != "account"}
        serializer.instance = services.request_update(actor=self.request.user, request=serializer.instance, **fields)

    def perform_destroy(self, instance: Request) -> None:
        services.request_delete(actor=self.request.user, request=instance)

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
        item = services.request_accept(actor=request.user, request=item, **fields)
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
            self.get_serializer(services.request_decline(actor=request.user, request=item, reason=reason)).data
        )

    @extend_schema(
        summary="Put a declined request back into the triage queue", request=None, responses={200: RequestSerializer}
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: ApiRequest, pk: str | None = None) -> Response:
        item = self.get_object()
        return Response(self.get_serializer(services.request_reopen(actor=request.user, request=item)).data)
