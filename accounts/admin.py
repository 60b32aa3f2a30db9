from django.contrib import admin

from accounts.models import Account, AccountTeamMember, Potential, ProductLine, Revenue
from kam.lib.admin import RecordAdmin, RecordInline


class TeamInline(RecordInline):
    model = AccountTeamMember
    autocomplete_fields = ("user",)


@admin.register(Account)
class AccountAdmin(RecordAdmin):
    list_display = ("name", "kind", "parent", "country", "city", "owner", "is_key_account", "archived_at")
    list_filter = ("kind", "is_key_account", "country")
    search_fields = ("name", "city")
    autocomplete_fields = ("parent", "owner")
    inlines = [TeamInline]


@admin.register(ProductLine)
class ProductLineAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active")
    search_fields = ("code", "name")


@admin.register(Revenue)
class RevenueAdmin(RecordAdmin):
    list_display = ("account", "product_line", "year", "amount")
    list_filter = ("year", "product_line")
    search_fields = ("account__name",)
    autocomplete_fields = ("account",)


@admin.register(Potential)
class PotentialAdmin(RecordAdmin):
    list_display = ("account", "product_line", "year", "amount", "confidence")
    list_filter = ("year", "product_line")
    search_fields = ("account__name",)
    autocomplete_fields = ("account",)
