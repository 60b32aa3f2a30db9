from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from kam.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "country", "is_active")
    list_filter = ("role", "country", "is_active", "is_staff")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("KAM"), {"fields": ("role", "country")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("KAM"), {"fields": ("role", "country")}))
