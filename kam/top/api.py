"""The portfolio dashboard's table as an API (the top floor: it reads every app)."""

from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kam.lib.api_records import RecordViewSetMixin
from kam.top.forms import PortfolioFilterForm
from kam.top.portfolio import portfolio, with_details


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


class PortfolioViewSet(RecordViewSetMixin, viewsets.GenericViewSet):
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
