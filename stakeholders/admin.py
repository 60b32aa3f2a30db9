from django.contrib import admin

from stakeholders.models import Give, InfluenceLink, Interaction, Position, Relationship, Stakeholder


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    readonly_fields = ["account", "job_title", "started_on", "ended_on"]
    can_delete = False


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["full_name", "job_title", "account", "buying_role", "influence", "attitude", "rising"]
    list_filter = ["buying_role", "attitude", "rising", "influence"]
    search_fields = ["first_name", "last_name", "job_title", "email"]
    raw_id_fields = ["account", "reports_to", "relationship_owner"]
    inlines = [PositionInline]


@admin.register(InfluenceLink)
class InfluenceLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "target", "strength"]
    raw_id_fields = ["source", "target"]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "account", "sentiment", "logged_by"]
    list_filter = ["kind", "sentiment"]
    date_hierarchy = "occurred_at"
    raw_id_fields = ["account", "stakeholders", "colleagues", "logged_by"]


@admin.register(Give)
class GiveAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "direction", "kind", "stakeholder", "user"]
    list_filter = ["direction", "kind"]
    raw_id_fields = ["stakeholder", "user"]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["user", "stakeholder", "strength", "status", "last_interaction_at", "computed_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "stakeholder"]
    readonly_fields = ["strength", "status", "last_interaction_at", "computed_at"]
