"""`GET /api/search/?q=…[&type=…]`: the hits the caller may see, best first, paginated."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kam.lib.api_records import RecordViewSetMixin
from kam.top.search import selectors
from kam.top.search.forms import MAX_LENGTH, MIN_LENGTH, SearchForm
from kam.top.search.kinds import KINDS


class AccountRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=list(KINDS))
    id = serializers.IntegerField()
    title = serializers.CharField()
    snippet = serializers.CharField()
    url = serializers.CharField()
    account = AccountRefSerializer(allow_null=True)


class SearchViewSet(RecordViewSetMixin, viewsets.GenericViewSet):
    """Search accounts, people, contacts, gives, plans, objectives, activities and requests,
    forgiving case, accents, word order, prefixes and (on PostgreSQL) typos and word forms.
    Best first; each kind contributes its best few hundred candidates (`count` counts those)."""

    serializer_class = HitSerializer
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description=f"{MIN_LENGTH}–{MAX_LENGTH} characters"),
            OpenApiParameter("type", OpenApiTypes.STR, enum=list(KINDS), description="only this kind of record"),
        ]
    )
    def list(self, request: Request) -> Response:
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        terms, kind = form.terms, form.cleaned_data["type"]
        if kind:  # ids first, the page's hits then
            page = self.paginate_queryset(selectors.ranked_ids(user=request.user, terms=terms, kind=kind))
            hits = selectors.hits(user=request.user, terms=terms, ids=page)
        else:
            hits = self.paginate_queryset(selectors.every_kind(user=request.user, terms=terms))
        return self.get_paginated_response(self.get_serializer(hits, many=True).data)
