"""REST API for people, their positions and politics, contacts, gives and relationships.

Same contract as accounts.api: reads go through the visibility rule (a row outside it answers
404; an id outside it in a request body answers 400 like a missing one), writes go through
stakeholders.services (their ValidationError becomes a 400 in kam.lib.api.exception_handler, their
PermissionDenied a 403). Changing a row one may read but not change answers 403 before the
body is looked at; so does every write of sales leadership, who read everything and change
nothing.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Case, F, Prefetch, Q, QuerySet, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import VisibleAccountField
from accounts.hierarchy import SUBTREE_IDS_SQL
from accounts.models import Account
from kam.models import User
from kam.visibility import may_change_account, restrict_to_visible, visible_account_ids
from stakeholders import permissions as rules
from stakeholders import services
from stakeholders.models import Give, InfluenceLink, Interaction, Position, Relationship, Stakeholder
from stakeholders.selectors import interaction_list, stakeholder_list


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


def _docs(singular: str, plural: str, *, writable: bool = True):
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


class _ScopedViewSetMixin:
    # Filters narrow lists; a detail URL names one row whatever the query string says.

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


# --- filters ------------------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class _AccountFilter(filters.FilterSet):
    """`account` (that node) and `subtree` (that node and every node below it)."""

    account_field = "account"

    account = filters.NumberFilter(method="filter_account", label="On this account")
    subtree = filters.NumberFilter(method="filter_subtree", label="On this account or any account below it")

    def filter_account(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.account_field}_id": int(value)})

    def filter_subtree(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.account_field}_id__in": RawSQL(SUBTREE_IDS_SQL, [int(value)])})


class _OccurredFilter(_AccountFilter):
    """Both ends inclusive, whole days in the server's time zone."""

    occurred_after = filters.DateFilter(method="filter_after", label="On or after this date (YYYY-MM-DD)")
    occurred_before = filters.DateFilter(method="filter_before", label="On or before this date (YYYY-MM-DD)")

    def filter_after(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(occurred_at__gte=_start_of(value))

    def filter_before(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(occurred_at__lt=_start_of(value + timedelta(days=1)))


class StakeholderFilter(_AccountFilter):
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


class PositionFilter(_AccountFilter):
    stakeholder = filters.NumberFilter(field_name="stakeholder_id")
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label="Current positions only")

    class Meta:
        model = Position
        fields = ["account", "subtree", "stakeholder", "current"]


class InfluenceLinkFilter(_AccountFilter):
    account_field = "source__account"

    stakeholder = filters.NumberFilter(method="filter_stakeholder", label="From or to this person")
    source = filters.NumberFilter(field_name="source_id")
    target = filters.NumberFilter(field_name="target_id")

    class Meta:
        model = InfluenceLink
        fields = ["account", "subtree", "stakeholder", "source", "target", "kind"]

    def filter_stakeholder(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(source_id=int(value)) | Q(target_id=int(value)))


class InteractionFilter(_OccurredFilter):
    stakeholder = filters.NumberFilter(field_name="stakeholders", label="With this person")
    user = filters.NumberFilter(field_name="colleagues", label="With this colleague")
    logged_by = filters.NumberFilter(field_name="logged_by_id")

    class Meta:
        model = Interaction
        fields = [
            "account",
            "subtree",
            "stakeholder",
            "user",
            "logged_by",
            "kind",
            "sentiment",
            "occurred_after",
            "occurred_before",
        ]


class GiveFilter(_OccurredFilter):
    account_field = "stakeholder__account"

    stakeholder = filters.NumberFilter(field_name="stakeholder_id")
    user = filters.NumberFilter(field_name="user_id")

    class Meta:
        model = Give
        fields = [
            "account",
            "subtree",
            "stakeholder",
            "user",
            "direction",
            "kind",
            "occurred_after",
            "occurred_before",
        ]


class RelationshipFilter(_AccountFilter):
    account_field = "stakeholder__account"

    stakeholder = filters.NumberFilter(field_name="stakeholder_id")
    user = filters.NumberFilter(field_name="user_id")

    class Meta:
        model = Relationship
        fields = ["account", "subtree", "stakeholder", "user", "status"]


# --- stakeholders and positions -----------------------------------------------------------


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
@_docs("stakeholder", "stakeholders")
class StakeholderViewSet(_ScopedViewSetMixin, viewsets.ModelViewSet):
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
@_docs("position", "positions (the job history of people)", writable=False)
class PositionViewSet(_ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The jobs people held and hold: an open position (no `ended_on`) is the current one."""

    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    ordering_fields = ["started_on", "ended_on"]

    def get_queryset(self) -> QuerySet[Position]:
        # Both the node of the position and the person's current node must be visible.
        positions = Position.objects.visible_to(self.request.user).order_by("-started_on", "-pk")
        return restrict_to_visible(positions, self.request.user, "stakeholder__account")


# --- influence links ----------------------------------------------------------------------


class InfluenceLinkSerializer(serializers.ModelSerializer):
    source = VisibleStakeholderField()
    target = VisibleStakeholderField()

    class Meta:
        model = InfluenceLink
        fields = ["id", "source", "target", "kind", "strength"]


@extend_schema(tags=["stakeholders"])
@_docs("influence link", "influence links (who sways whom)")
class InfluenceLinkViewSet(_ScopedViewSetMixin, viewsets.ModelViewSet):
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


# --- interactions -------------------------------------------------------------------------


class InteractionSerializer(serializers.ModelSerializer):
    account = VisibleAccountField()
    stakeholders = VisibleStakeholderField(many=True, help_text="The people of the customer: at least one.")
    colleagues = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), many=True, required=False, help_text="Our side; default: you."
    )

    class Meta:
        model = Interaction
        fields = [
            "id",
            "account",
            "kind",
            "occurred_at",
            "summary",
            "stakeholders",
            "colleagues",
            "sentiment",
            "logged_by",
        ]
        read_only_fields = ["logged_by"]

    def validate_colleagues(self, colleagues: list[User]) -> list[User]:
        if self.instance is not None and not colleagues:
            raise serializers.ValidationError(_("Name at least one colleague, or leave the field out."))
        return colleagues


@extend_schema(tags=["relationships"])
@_docs("interaction", "interactions (contacts with people)")
class InteractionViewSet(_ScopedViewSetMixin, viewsets.ModelViewSet):
    """Contacts with people of one customer group. Everyone who sees the account may log one;
    who logged it, or may change the account, may change or delete it. Logging updates the
    relationships of every colleague with every person of the contact."""

    serializer_class = InteractionSerializer
    permission_classes = WRITE_PERMISSIONS
    filterset_class = InteractionFilter
    search_fields = ["summary"]
    ordering_fields = ["occurred_at"]

    def get_queryset(self) -> QuerySet[Interaction]:
        return interaction_list(user=self.request.user)

    def may_change(self, user: User, interaction: Interaction) -> bool:
        return rules.may_change_interaction(user, interaction)

    def perform_create(self, serializer: InteractionSerializer) -> None:
        fields = dict(serializer.validated_data)
        interaction = services.interaction_log(
            actor=self.request.user,
            account=fields["account"],
            kind=fields.get("kind", Interaction.Kind.MEETING),
            occurred_at=fields["occurred_at"],
            summary=fields["summary"],
            stakeholders=fields["stakeholders"],
            colleagues=fields.get("colleagues"),
            sentiment=fields.get("sentiment", Interaction.Sentiment.NEUTRAL),
        )
        serializer.instance = self.get_queryset().get(pk=interaction.pk)

    def perform_update(self, serializer: InteractionSerializer) -> None:
        fields = dict(serializer.validated_data)
        services.interaction_update(
            actor=self.request.user,
            interaction=serializer.instance,
            stakeholders=fields.pop("stakeholders", None),
            colleagues=fields.pop("colleagues", None),
            **fields,
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance: Interaction) -> None:
        services.interaction_delete(actor=self.request.user, interaction=instance)


# --- gives --------------------------------------------------------------------------------


class GiveSerializer(serializers.ModelSerializer):
    stakeholder = VisibleStakeholderField()
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, help_text="The colleague who gave or received; default: you."
    )
    occurred_at = serializers.DateTimeField(required=False, help_text="Default: now; never in the future.")

    class Meta:
        model = Give
        fields = ["id", "stakeholder", "user", "direction", "kind", "occurred_at", "description"]


@extend_schema(tags=["relationships"])
@_docs("give", "gives (pay forward) and favours received")
class GiveViewSet(_ScopedViewSetMixin, viewsets.ModelViewSet):
    """Something of value given to a person without asking for anything back, or a favour
    received from them. Everyone who sees the person may record one; the colleague it belongs
    to, or who may change the account, may change or delete it."""

    serializer_class = GiveSerializer
    permission_classes = WRITE_PERMISSIONS
    filterset_class = GiveFilter
    search_fields = ["description"]
    ordering_fields = ["occurred_at"]

    def get_queryset(self) -> QuerySet[Give]:
        return Give.objects.visible_to(self.request.user).select_related("stakeholder").order_by("-occurred_at", "-pk")

    def may_change(self, user: User, give: Give) -> bool:
        return rules.may_change_give(user, give)

    def perform_create(self, serializer: GiveSerializer) -> None:
        serializer.instance = services.give_record(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: GiveSerializer) -> None:
        serializer.instance = services.give_update(
            actor=self.request.user, give=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: Give) -> None:
        services.give_delete(actor=self.request.user, give=instance)


# --- relationships ------------------------------------------------------------------------


class RelationshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Relationship
        fields = ["id", "user", "stakeholder", "strength", "last_interaction_at", "status", "computed_at"]
        read_only_fields = fields


@extend_schema(tags=["relationships"])
@_docs("relationship", "relationships (computed from interactions and gives)", writable=False)
class RelationshipViewSet(_ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """One colleague's relationship with one person: strength (0-100) and status decay with time
    since the last contact and are recomputed from interactions and gives, never typed in."""

    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilter
    ordering_fields = ["strength", "last_interaction_at"]

    def get_queryset(self) -> QuerySet[Relationship]:
        return Relationship.objects.visible_to(self.request.user).order_by("-strength", "pk")
