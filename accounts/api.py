"""REST API for the customer group hierarchy, product lines, revenue and potential.

Reads go through the visibility rule (an account outside it answers 404), writes through
accounts.services; a service's refusal becomes a 400 in kam.lib.api.exception_handler. Writing
to an account one may read but not change answers 403 before the service is reached.
"""

from django.db.models import ProtectedError, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.validators import UniqueTogetherValidator

from accounts import services
from accounts.hierarchy import SUBTREE_IDS_SQL
from accounts.models import Account, Potential, ProductLine, Revenue
from accounts.potential import subtree_figures
from kam.lib.api import CountryCodeFilter
from kam.lib.api_records import HistoryMixin, RecordViewSetMixin, RestoreMixin
from kam.models import User
from kam.visibility import can_create_groups, may_change_account, restrict_to_visible, sees_whole_subtrees


@extend_schema_field(OpenApiTypes.INT)
class VisibleAccountField(serializers.PrimaryKeyRelatedField):
    """An account id the requesting user may see; any other id is answered like a missing one."""

    def get_queryset(self) -> QuerySet[Account]:
        return Account.objects.visible_to(self.context["request"].user)


def _require_editable(user: User, account: Account) -> None:
    if not may_change_account(user, account.pk):
        raise PermissionDenied(_("You may read %(account)s but not change it.") % {"account": account.name})


# --- accounts -----------------------------------------------------------------------------


class AccountSerializer(CountryFieldMixin, serializers.ModelSerializer):
    parent = VisibleAccountField(allow_null=True, required=False)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        required=False,
        help_text="A key account manager or an administrator.",
    )

    class Meta:
        model = Account
        fields = [
            "id",
            "name",
            "kind",
            "parent",
            "country",
            "city",
            "ownership_share",
            "owner",
            "is_key_account",
            "archived_at",
        ]
        read_only_fields = ["archived_at"]

    def validate_parent(self, parent: Account | None) -> Account | None:
        # A move touches the whole subtree and has its own checks (cycles), so it has its own action.
        if self.instance is not None and getattr(parent, "pk", None) != self.instance.parent_id:
            raise serializers.ValidationError(
                _("The parent cannot be changed here: use POST /api/accounts/%(id)s/move/.") % {"id": self.instance.pk}
            )
        return parent


class AccountMoveSerializer(serializers.Serializer):
    parent = VisibleAccountField(allow_null=True, help_text="The new parent's id, or null for a top-level group.")


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2200, required=False)


class FiguresSerializer(serializers.Serializer):
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2)
    potential = serializers.DecimalField(max_digits=18, decimal_places=2)
    whitespace = serializers.DecimalField(max_digits=18, decimal_places=2)
    share_of_wallet = serializers.DecimalField(max_digits=10, decimal_places=4, allow_null=True)


class AccountTreeSerializer(serializers.Serializer):
    """Documents the shape of accounts.potential.TreeNode.as_dict(); never used to render."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Account.Kind.choices)
    country = serializers.CharField()
    ownership_share = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    own = FiguresSerializer()
    rollup = FiguresSerializer()
    children = serializers.ListField(child=serializers.DictField(), help_text="Nodes of this same shape.")


class AccountFilter(filters.FilterSet):
    country = CountryCodeFilter()
    parent = filters.NumberFilter(field_name="parent_id")
    owner = filters.NumberFilter(field_name="owner_id")
    top_level = filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label="Top-level groups only")
    archived = filters.BooleanFilter(method="filter_archived", label="Archived accounts (default: active ones)")

    class Meta:
        model = Account
        fields = ["kind", "country", "parent", "owner", "is_key_account", "top_level", "archived"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.form.cleaned_data.get("archived") is None:
            queryset = queryset.filter(archived_at__isnull=True)
        return super().filter_queryset(queryset)

    def filter_archived(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(archived_at__isnull=not value)


class AccountPermission(permissions.BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        if view.action == "create":
            # Only who may start a group may write accounts at all; the parent is checked by the service.
            return can_create_groups(request.user)
        return True

    def has_object_permission(self, request: Request, view, obj: Account) -> bool:
        return request.method in permissions.SAFE_METHODS or may_change_account(request.user, obj.pk)


@extend_schema(tags=["accounts"])
class AccountViewSet(RecordViewSetMixin, HistoryMixin, viewsets.ModelViewSet):
    serializer_class = AccountSerializer
    permission_classes = [permissions.IsAuthenticated, AccountPermission]
    filterset_class = AccountFilter
    search_fields = ["name", "city"]
    ordering_fields = ["name"]

    def get_queryset(self) -> QuerySet[Account]:
        return Account.objects.visible_to(self.request.user).order_by("name", "pk")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Filters narrow the list; a detail URL names one account, archived or not (restore needs that).
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def perform_create(self, serializer: AccountSerializer) -> None:
        fields = dict(serializer.validated_data)
        parent = fields.pop("parent", None)
        serializer.instance = services.account_create(actor=self.request.user, parent=parent, **fields)

    def perform_update(self, serializer: AccountSerializer) -> None:
        fields = dict(serializer.validated_data)
        fields.pop("parent", None)  # unchanged, or the serializer refused it
        serializer.instance = services.account_update(actor=self.request.user, account=serializer.instance, **fields)

    @extend_schema(
        summary="Archive the account and its subtree",
        description="Nothing is deleted: the account and its active descendants get `archived_at`.",
        responses={204: None},
    )
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        services.account_archive(actor=request.user, account=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The subtree with own and rolled-up figures",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Default: the current year.")],
        responses={200: AccountTreeSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def tree(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        query = YearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        tree = subtree_figures(account.pk, year)
        return Response((tree if sees_whole_subtrees(request.user) else tree.alone()).as_dict())

    @extend_schema(
        summary="Move the account (with its subtree) under another parent",
        request=AccountMoveSerializer,
        responses={200: AccountSerializer, 400: OpenApiResponse(description="A cycle or a parent one may not use.")},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        body = AccountMoveSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        account = services.account_move(actor=request.user, account=account, new_parent=body.validated_data["parent"])
        return Response(self.get_serializer(account).data)

    @extend_schema(summary="Bring back an archived account and what was archived with it", request=None)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        services.account_restore(actor=request.user, account=account)
        account.refresh_from_db()
        return Response(self.get_serializer(account).data)


# --- product lines ------------------------------------------------------------------------


class ProductLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductLine
        fields = ["id", "code", "name", "is_active"]


class AdminWritesOrReadOnly(permissions.BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or request.user.writes_everything


@extend_schema(tags=["product lines"])
class ProductLineViewSet(RecordViewSetMixin, viewsets.ModelViewSet):
    serializer_class = ProductLineSerializer
    permission_classes = [permissions.IsAuthenticated, AdminWritesOrReadOnly]
    filterset_fields = ["is_active"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]

    def get_queryset(self) -> QuerySet[ProductLine]:
        return ProductLine.objects.order_by("code", "pk")

    def perform_destroy(self, instance: ProductLine) -> None:
        try:
            instance.delete()
        except ProtectedError as exc:
            raise ValidationError(
                _("%(line)s has revenue or potential figures: deactivate it instead.") % {"line": instance.code}
            ) from exc


# --- revenue and potential ----------------------------------------------------------------


def _unique_cell(model, message: str) -> UniqueTogetherValidator:
    # Checked here so that a duplicate gets a clear 400 rather than the database's IntegrityError.
    return UniqueTogetherValidator(
        queryset=model.objects.all(), fields=["account", "product_line", "year"], message=message
    )


class RevenueSerializer(serializers.ModelSerializer):
    account = VisibleAccountField()

    class Meta:
        model = Revenue
        fields = ["id", "account", "product_line", "year", "amount"]
        validators = [
            _unique_cell(
                Revenue, _("This account already has a revenue for this product line and year: change that row.")
            )
        ]


class PotentialSerializer(serializers.ModelSerializer):
    account = VisibleAccountField()

    class Meta:
        model = Potential
        fields = ["id", "account", "product_line", "year", "amount", "confidence"]
        validators = [
            _unique_cell(
                Potential, _("This account already has a potential for this product line and year: change that row.")
            )
        ]


class FigureFilter(filters.FilterSet):
    account = filters.NumberFilter(field_name="account_id")
    product_line = filters.NumberFilter(field_name="product_line_id")
    subtree = filters.NumberFilter(method="filter_subtree", label="Rows of this account and all its descendants")

    class Meta:
        fields = ["account", "product_line", "year", "subtree"]

    def filter_subtree(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(account_id__in=RawSQL(SUBTREE_IDS_SQL, [int(value)]))


class RevenueFilter(FigureFilter):
    class Meta(FigureFilter.Meta):
        model = Revenue


class PotentialFilter(FigureFilter):
    class Meta(FigureFilter.Meta):
        model = Potential


class FigurePermission(permissions.BasePermission):
    def has_object_permission(self, request: Request, view, obj: Revenue | Potential) -> bool:
        return request.method in permissions.SAFE_METHODS or may_change_account(request.user, obj.account_id)


class _FigureViewSet(RecordViewSetMixin, HistoryMixin, RestoreMixin, viewsets.ModelViewSet):
    model: type[Revenue] | type[Potential]
    permission_classes = [permissions.IsAuthenticated, FigurePermission]
    ordering_fields = ["year", "amount"]

    def get_queryset(self) -> QuerySet:
        rows = self.model.objects.select_related("account").order_by("-year", "account_id", "product_line_id", "pk")
        return restrict_to_visible(rows, self.request.user, "account")

    def perform_create(self, serializer: serializers.ModelSerializer) -> None:
        figure = self.model(**serializer.validated_data)
        _require_editable(self.request.user, figure.account)
        serializer.instance = services.figure_save(actor=self.request.user, figure=figure)

    def perform_update(self, serializer: serializers.ModelSerializer) -> None:
        figure = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(figure, name, value)
        _require_editable(self.request.user, figure.account)  # the (possibly new) account
        serializer.instance = services.figure_save(actor=self.request.user, figure=figure)

    def perform_destroy(self, instance: Revenue | Potential) -> None:
        services.figure_delete(actor=self.request.user, figure=instance)


@extend_schema(tags=["figures"])
class RevenueViewSet(_FigureViewSet):
    model = Revenue
    serializer_class = RevenueSerializer
    filterset_class = RevenueFilter


@extend_schema(tags=["figures"])
class PotentialViewSet(_FigureViewSet):
    model = Potential
    serializer_class = PotentialSerializer
    filterset_class = PotentialFilter
