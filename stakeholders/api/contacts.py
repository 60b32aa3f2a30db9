"""The API for contacts with people (interactions) and gives (pay forward, favours received)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from accounts.api import VisibleAccountField
from kam.lib.api_records import HistoryMixin, RecordViewSetMixin, RestoreMixin
from kam.models import User
from stakeholders import permissions as rules
from stakeholders import services
from stakeholders.api.common import (
    WRITE_PERMISSIONS,
    OccurredFilter,
    ScopedViewSetMixin,
    VisibleStakeholderField,
    standard_docs,
)
from stakeholders.models import Give, Interaction
from stakeholders.selectors import interaction_list

# --- interactions -------------------------------------------------------------------------


class InteractionFilter(OccurredFilter):
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
@standard_docs("interaction", "interactions (contacts with people)")
class InteractionViewSet(RecordViewSetMixin, HistoryMixin, RestoreMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
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


class GiveFilter(OccurredFilter):
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


class GiveSerializer(serializers.ModelSerializer):
    stakeholder = VisibleStakeholderField()
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, help_text="The colleague who gave or received; default: you."
    )
    occurred_at = serializers.DateTimeField(required=False, help_text="Default: now; never in the future.")

    class Meta:
        model = Give
        fields = ["id", "stakeholder", "user", "direction", "kind", "occurred_at", "description", "created_by"]
        read_only_fields = ["created_by"]


@extend_schema(tags=["relationships"])
@standard_docs("give", "gives (pay forward) and favours received")
class GiveViewSet(RecordViewSetMixin, HistoryMixin, RestoreMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
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
