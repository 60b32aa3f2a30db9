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

from kam.models import User


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
