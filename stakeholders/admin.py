from django.contrib import admin

from kam.lib.admin import RecordAdmin, RecordInline
from stakeholders.models import Give, InfluenceLink, Interaction, Position, Relationship, Stakeholder


class PositionInline(RecordInline):
    model = Position


@admin.register(Stakeholder)
class StakeholderAdmin(RecordAdmin):
    list_display = ["full_name", "job_title", "account", "buying_role", "influence", "attitude", "rising"]
    list_filter = ["buying_role", "attitude", "rising", "influence"]
    search_fields = ["first_name", "last_name", "job_title", "email"]
    raw_id_fields = ["account", "reports_to", "relationship_owner"]
    inlines = [PositionInline]


@admin.register(InfluenceLink)
class InfluenceLinkAdmin(RecordAdmin):
    list_display = ["source", "kind", "target", "strength"]
    raw_id_fields = ["source", "target"]


@admin.register(Interaction)
class InteractionAdmin(RecordAdmin):
    list_display = ["occurred_at", "kind", "account", "sentiment", "logged_by"]
    list_filter = ["kind", "sentiment"]
    date_hierarchy = "occurred_at"
    raw_id_fields = ["account", "stakeholders", "colleagues", "logged_by"]


@admin.register(Give)
class GiveAdmin(RecordAdmin):
    list_display = ["occurred_at", "direction", "kind", "stakeholder", "user"]
    list_filter = ["direction", "kind"]
    raw_id_fields = ["stakeholder", "user"]


@admin.register(Relationship)
class RelationshipAdmin(RecordAdmin):
    list_display = ["user", "stakeholder", "strength", "status", "last_interaction_at", "computed_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "stakeholder"]
