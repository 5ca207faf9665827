from django.contrib import admin

from .models import Area, Tenant, Unit


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "slug"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "tenant"]
    list_filter = ["tenant"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "sector", "setting"]
    list_filter = ["tenant", "sector", "setting"]
    search_fields = ["name"]
