from django.contrib import admin

from .models import Body, BodyMember, Level, TenantObservationSettings


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["name", "rank", "tenant"]


class BodyMemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "area", "parent", "tenant"]
    inlines = [BodyMemberInline]


@admin.register(TenantObservationSettings)
class TenantObservationSettingsAdmin(admin.ModelAdmin):
    list_display = ["tenant", "show_writer"]
