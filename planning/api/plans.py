"""The API for account plans and their objectives (with values computed from CRM data)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from accounts.api import VisibleAccountField
from kam.lib.api_records import HistoryMixin, RecordViewSetMixin
from planning import metrics, services
from planning.api.common import ListFiltersOnly, SubtreeFilter, VisiblePlanField, keep_unchanged
from planning.models import AccountPlan, Objective

# --- plans --------------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):
    account = VisibleAccountField()

    class Meta:
        model = AccountPlan
        fields = ["id", "account", "year", "title", "summary", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # one plan per account and year: the service answers on the field `year`

    def validate_account(self, account):
        return keep_unchanged(self, "account", account, _("A plan stays with its account: create a new plan instead."))


class PlanFilter(SubtreeFilter):
    class Meta:
        model = AccountPlan
        fields = ["account", "subtree", "year"]


@extend_schema(tags=["plans"])
class PlanViewSet(RecordViewSetMixin, HistoryMixin, ListFiltersOnly, viewsets.ModelViewSet):
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
        return keep_unchanged(self, "plan", plan, _("An objective stays with its plan."))

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
class ObjectiveViewSet(RecordViewSetMixin, HistoryMixin, ListFiltersOnly, viewsets.ModelViewSet):
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
