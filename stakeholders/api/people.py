"""The API for people at the customer, the jobs they held and hold, and who sways whom."""

from django.db.models import Case, F, Prefetch, Q, QuerySet, When
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import VisibleAccountField
from accounts.models import Account
from kam.lib.api_records import HistoryMixin, RecordViewSetMixin, RestoreMixin
from kam.models import User
from kam.visibility import may_change_account, restrict_to_visible, visible_account_ids
from stakeholders import services
from stakeholders.api.common import (
    WRITE_PERMISSIONS,
    AccountFilter,
    ScopedViewSetMixin,
    VisibleStakeholderField,
    standard_docs,
)
from stakeholders.models import InfluenceLink, Position, Stakeholder
from stakeholders.selectors import stakeholder_list

# --- stakeholders and positions -----------------------------------------------------------


class StakeholderFilter(AccountFilter):
    q = filters.CharFilter(method="filter_q", label="Part of the name, job title or email")
    min_influence = filters.NumberFilter(field_name="influence", lookup_expr="gte", label="Influence at least")
    key_only = filters.BooleanFilter(method="filter_key_only", label="Decision-makers, buyers, champions, influence 4+")
    reports_to = filters.NumberFilter(field_name="reports_to_id")
    relationship_owner = filters.NumberFilter(field_name="relationship_owner_id")

    class Meta:
        model = Stakeholder
        fields = [
            "account",
            "subtree",
            "buying_role",
            "attitude",
            "rising",
            "min_influence",
            "key_only",
            "reports_to",
            "relationship_owner",
            "q",
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(job_title__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset

    def filter_key_only(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(Stakeholder.KEY_PERSON) if value else queryset


class PositionFilter(AccountFilter):
    stakeholder = filters.NumberFilter(field_name="stakeholder_id")
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label="Current positions only")

    class Meta:
        model = Position
        fields = ["account", "subtree", "stakeholder", "current"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "stakeholder", "account", "job_title", "started_on", "ended_on"]
        read_only_fields = fields


class CurrentPositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "account", "job_title", "started_on"]
        read_only_fields = fields


class StakeholderSerializer(serializers.ModelSerializer):
    account = VisibleAccountField(help_text="Set on create; later changes go through the move action.")
    reports_to = VisibleStakeholderField(allow_null=True, required=False)
    relationship_owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    cadence_days = serializers.IntegerField(
        min_value=1,
        max_value=365,
        allow_null=True,
        required=False,
        help_text="Days between contacts to stay warm; empty or null: the default for the buying role.",
    )
    full_name = serializers.CharField(read_only=True)
    best_strength = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The strongest relationship anyone on our side has (0-100)."
    )
    current_position = serializers.SerializerMethodField()

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "account",
            "first_name",
            "last_name",
            "full_name",
            "job_title",
            "email",
            "phone",
            "reports_to",
            "buying_role",
            "influence",
            "attitude",
            "rising",
            "cadence_days",
            "relationship_owner",
            "best_strength",
            "current_position",
        ]

    def validate_account(self, account: Account) -> Account:
        # A new job keeps a history of positions, so it has its own action.
        if self.instance is not None and account.pk != self.instance.account_id:
            raise serializers.ValidationError(
                _("The account cannot be changed here: use POST /api/stakeholders/%(id)s/move/.")
                % {"id": self.instance.pk}
            )
        return account

    def to_representation(self, person: Stakeholder) -> dict:
        data = super().to_representation(person)
        data["reports_to"] = getattr(person, "visible_reports_to", person.reports_to_id)
        return data

    @extend_schema_field(CurrentPositionSerializer(allow_null=True))
    def get_current_position(self, person: Stakeholder) -> dict | None:
        current = getattr(person, "current_positions", None)
        if current is None:
            current = list(person.positions.filter(ended_on__isnull=True))
        return CurrentPositionSerializer(current[0]).data if current else None


class StakeholderMoveSerializer(serializers.Serializer):
    account = VisibleAccountField(help_text="The account of the new position.")
    job_title = serializers.CharField(max_length=200)
    started_on = serializers.DateField(
        required=False, help_text="Default: today. Not in the future, not before the current position started."
    )
    reports_to = VisibleStakeholderField(
        allow_null=True, required=False, help_text="The manager in the new position; default: nobody."
    )


@extend_schema(tags=["stakeholders"])
@standard_docs("stakeholder", "stakeholders")
class StakeholderViewSet(RecordViewSetMixin, HistoryMixin, RestoreMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
    """People at the customer. Reading needs the account to be visible, writing the right to change
    it. The account changes only by `POST /api/stakeholders/{id}/move/`, which keeps the history."""

    serializer_class = StakeholderSerializer
    permission_classes = WRITE_PERMISSIONS
    filterset_class = StakeholderFilter
    search_fields = ["first_name", "last_name", "job_title", "email"]
    ordering_fields = ["last_name", "first_name", "influence", "updated_at"]

    def get_queryset(self) -> QuerySet[Stakeholder]:
        user = self.request.user
        current = Position.objects.filter(ended_on__isnull=True).order_by()
        # A manager outside what the user sees is shown as nobody (one subquery, not a query per row).
        people = stakeholder_list(user=user).prefetch_related(
            Prefetch("positions", queryset=current, to_attr="current_positions")
        )
        if visible_account_ids(user) is None:
            return people
        visible = Stakeholder.objects.visible_to(user).values("pk")
        return people.annotate(
            visible_reports_to=Case(When(reports_to__in=visible, then=F("reports_to_id")), default=None)
        )

    def may_change(self, user: User, person: Stakeholder) -> bool:
        return may_change_account(user, person.account_id)

    def _reread(self, person: Stakeholder) -> Stakeholder:
        # The list's annotations and prefetches, for the answer.
        return self.get_queryset().get(pk=person.pk)

    def perform_create(self, serializer: StakeholderSerializer) -> None:
        fields = dict(serializer.validated_data)
        account = fields.pop("account")
        person = services.stakeholder_create(actor=self.request.user, account=account, **fields)
        serializer.instance = self._reread(person)

    def perform_update(self, serializer: StakeholderSerializer) -> None:
        fields = dict(serializer.validated_data)
        fields.pop("account", None)  # unchanged, or the serializer refused it
        person = services.stakeholder_update(actor=self.request.user, stakeholder=serializer.instance, **fields)
        serializer.instance = self._reread(person)

    def perform_destroy(self, instance: Stakeholder) -> None:
        services.stakeholder_delete(actor=self.request.user, stakeholder=instance)

    @extend_schema(
        summary="A new job for the person: a new position, the old one ends",
        description="The person stays the same record, so interactions, gives and relationships follow "
        "them; their positions keep the history.",
        request=StakeholderMoveSerializer,
        responses={
            200: StakeholderSerializer,
            400: OpenApiResponse(description="A date in the future, a manager in another group, a cycle."),
        },
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        person = self.get_object()
        body = StakeholderMoveSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        person = services.stakeholder_move(actor=request.user, stakeholder=person, **body.validated_data)
        return Response(self.get_serializer(self._reread(person)).data)


@extend_schema(tags=["stakeholders"])
@standard_docs("position", "positions (the job history of people)", writable=False)
class PositionViewSet(RecordViewSetMixin, HistoryMixin, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The jobs people held and hold: an open position (no `ended_on`) is the current one."""

    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    ordering_fields = ["started_on", "ended_on"]

    def get_queryset(self) -> QuerySet[Position]:
        # Both the node of the position and the person's current node must be visible.
        positions = Position.objects.visible_to(self.request.user).order_by("-started_on", "-pk")
        return restrict_to_visible(positions, self.request.user, "stakeholder__account")


# --- influence links ----------------------------------------------------------------------


class InfluenceLinkFilter(AccountFilter):
    account_field = "source__account"

    stakeholder = filters.NumberFilter(method="filter_stakeholder", label="From or to this person")
    source = filters.NumberFilter(field_name="source_id")
    target = filters.NumberFilter(field_name="target_id")

    class Meta:
        model = InfluenceLink
        fields = ["account", "subtree", "stakeholder", "source", "target", "kind"]

    def filter_stakeholder(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(source_id=int(value)) | Q(target_id=int(value)))


class InfluenceLinkSerializer(serializers.ModelSerializer):
    source = VisibleStakeholderField()
    target = VisibleStakeholderField()

    class Meta:
        model = InfluenceLink
        fields = ["id", "source", "target", "kind", "strength"]


@extend_schema(tags=["stakeholders"])
@standard_docs("influence link", "influence links (who sways whom)")
class InfluenceLinkViewSet(RecordViewSetMixin, HistoryMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
    """The informal politics between people: who influences whom, who is allied, who are rivals.
    Changing a link needs the right to change the account of its source."""

    serializer_class = InfluenceLinkSerializer
    permission_classes = WRITE_PERMISSIONS
    filterset_class = InfluenceLinkFilter
    ordering_fields = ["strength", "kind"]

    def get_queryset(self) -> QuerySet[InfluenceLink]:
        links = InfluenceLink.objects.visible_to(self.request.user).order_by("source_id", "kind", "target_id", "pk")
        return restrict_to_visible(links, self.request.user, "target__account")

    def may_change(self, user: User, link: InfluenceLink) -> bool:
        return may_change_account(user, link.source.account_id)

    def perform_create(self, serializer: InfluenceLinkSerializer) -> None:
        link = InfluenceLink(**serializer.validated_data)
        serializer.instance = services.influence_link_save(actor=self.request.user, link=link)

    def perform_update(self, serializer: InfluenceLinkSerializer) -> None:
        link = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(link, name, value)
        serializer.instance = services.influence_link_save(actor=self.request.user, link=link)

    def perform_destroy(self, instance: InfluenceLink) -> None:
        services.influence_link_delete(actor=self.request.user, link=instance)
