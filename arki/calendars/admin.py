from django.contrib import admin

from .models import CommonSlot


@admin.register(CommonSlot)
class CommonSlotAdmin(admin.ModelAdmin):
    list_display = ["owner", "weekday", "start_time", "end_time", "every_weeks", "valid_from"]
    list_filter = ["tenant", "weekday"]
    raw_id_fields = ["unit", "area", "published_by"]
