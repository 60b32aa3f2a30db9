"""The base's API: users (every app picks colleagues) and token login."""

from django_countries.serializers import CountryFieldMixin
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kam.lib.api import CountryCodeFilter
from kam.lib.api_records import RecordViewSetMixin
from kam.models import User


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


class UserFilter(filters.FilterSet):
    country = CountryCodeFilter()

    class Meta:
        model = User
        fields = ["role", "country"]


class UserViewSet(RecordViewSetMixin, viewsets.ReadOnlyModelViewSet):
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
