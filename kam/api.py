from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django_countries.serializers import CountryFieldMixin
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from kam.forms import PortfolioFilterForm
from kam.models import User
from kam.portfolio import portfolio, with_details


def exception_handler(exc, context):
    """Services refuse with Django's ValidationError; the API answers those with a 400."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            # Model validation files errors that span fields under "__all__"; DRF calls that key
            # "non_field_errors", and API clients should see one name for it.
            detail = {
                (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class ObtainTokenView(ObtainAuthToken):
    """POST username and password, receive the API token for `Authorization: Token <token>`."""

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenSerializer}, tags=["auth"])
    def post(self, request: Request, *args, **kwargs) -> Response:
        return super().post(request, *args, **kwargs)


class UserSerializer(CountryFieldMixin, serializers.ModelSerializer):
    # Colleagues are pickable by everyone (tasks, teams), so nothing private goes out here.
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "role", "country"]
        read_only_fields = fields


class CountryCodeFilter(filters.CharFilter):
    """An ISO alpha-2 code, in either case ("de" finds "DE")."""

    def filter(self, qs, value):
        return super().filter(qs, value.upper() if value else value)


class UserFilter(filters.FilterSet):
    country = CountryCodeFilter()

    class Meta:
        model = User
        fields = ["role", "country"]


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer
    filterset_class = UserFilter
    search_fields = ["username", "first_name", "last_name"]
    ordering_fields = ["username", "last_name"]

    def get_queryset(self):
        return User.objects.filter(is_active=True).order_by("username", "pk")

    @extend_schema(responses=UserSerializer)
    @action(detail=False, pagination_class=None, filter_backends=[])
    def me(self, request: Request) -> Response:
        return Response(self.get_serializer(request.user).data)


class PlanProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="plan.pk")
    objectives = serializers.IntegerField()
    progress = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    activities = serializers.IntegerField()
    done = serializers.IntegerField()
    overdue = serializers.IntegerField()


class PortfolioRowSerializer(serializers.Serializer):
    """A row of the portfolio dashboard: figures rolled up over the key account's subtree, as
    of its current snapshot (`figures_as_of`; null: not computed yet). Ratios are 0–1."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    owner_name = serializers.CharField()
    country = serializers.CharField(source="country.code")
    figures_as_of = serializers.DateField(source="day", allow_null=True)
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    potential = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    whitespace = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    share_of_wallet = serializers.DecimalField(max_digits=10, decimal_places=4, allow_null=True)
    share_of_wallet_90_days_ago = serializers.DecimalField(
        source="share_then", max_digits=10, decimal_places=4, allow_null=True
    )
    trend = serializers.DecimalField(max_digits=10, decimal_places=4, allow_null=True)
    key_people = serializers.IntegerField()
    warm_key_people = serializers.IntegerField()
    health = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    decision_makers = serializers.IntegerField()
    covered_decision_makers = serializers.IntegerField()
    coverage = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    open_alerts = serializers.IntegerField()
    last_contact_at = serializers.DateTimeField(allow_null=True)
    segment = serializers.CharField(source="quadrant")
    plan = PlanProgressSerializer(allow_null=True)


class PortfolioViewSet(viewsets.GenericViewSet):
    """The portfolio dashboard's table: the caller's key accounts (a KAM: own and team; sales
    leadership and admins: all), with the page's filters and sort order as query parameters:
    `q`, `owner`, `country`, `health` (healthy, at_risk, critical, unknown), `quadrant` (develop,
    connect, maintain, review), `sort` (e.g. `-health`)."""

    serializer_class = PortfolioRowSerializer
    filter_backends = []

    def list(self, request: Request) -> Response:
        form = PortfolioFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        rows = portfolio(user=request.user, filters=form.filters()).rows
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(with_details(page), many=True).data)
